// The grammar of a .nn file: one model, a list of members. Newlines are white space;
// members need no separators because every member starts with a keyword or `name =`.
parser grammar NnParser;

options { tokenVocab = NnLexer; }

program : model EOF ;

model : MODEL name=ident LBRACE member* RBRACE ;

member
    : INPUT name=ident COLON shape preprocess=call?      # inputMember
    | TARGET name=ident COLON targetType                 # targetMember
    | OUTPUT name=ident ASSIGN expr                      # outputMember
    | name=ident ASSIGN expr                             # tensorMember
    | LOSS call                                          # lossMember
    | OPTIMIZER call                                     # optimizerMember
    | PENALTY call                                       # penaltyMember
    | TRAIN LBRACE setting* RBRACE                       # trainMember
    | DATA LBRACE source* RBRACE                         # dataMember
    ;

shape : LBRACK expr (COMMA expr)* RBRACK ;

targetType : kind=ident (LBRACK expr (COMMA expr)* RBRACK)? ;

// A training setting is a name and a value (`epochs 100`, `batch all`,
// `until loss < 0.01`, `schedule warmup(epochs = 1) then cosine(...)`) or a call
// (`early_stop(monitor = val_loss)`), or a period (`checkpoint every 5`).
setting
    : name=ident LPAREN arguments? RPAREN                # callSetting
    | name=ident EVERY expr                              # periodSetting
    | name=ident expr (THEN expr)+                       # chainSetting
    | name=ident expr op=(LT | LE | GE | GT) expr        # conditionSetting
    | name=ident expr                                    # valueSetting
    ;

source : role=ident call ;

expr
    : expr ARROW call                                    # pipeExpr
    | MINUS expr                                         # negateExpr
    | expr op=(STAR | SLASH) expr                        # productExpr
    | expr op=(PLUS | MINUS) expr                        # sumExpr
    | NUMBER PERCENT?                                    # numberExpr
    | STRING                                             # stringExpr
    | call                                               # callExpr
    | LPAREN expr RPAREN                                 # parenExpr
    ;

call : name=ident (LPAREN arguments? RPAREN)? ;

arguments : argument (COMMA argument)* ;

argument : (name=ident ASSIGN)? expr ;

ident
    : IDENT | MODEL | INPUT | TARGET | OUTPUT | LOSS | OPTIMIZER | PENALTY
    | TRAIN | DATA | THEN | EVERY
    ;
