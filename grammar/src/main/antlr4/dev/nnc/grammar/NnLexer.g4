// The tokens of the .nn language. Keywords are contextual: each has its own token so
// the parser can name members, but the parser's `ident` rule accepts every keyword as
// a name, so `loss` can also be a metric and `train` a data role.
lexer grammar NnLexer;

MODEL     : 'model' ;
INPUT     : 'input' ;
TARGET    : 'target' ;
OUTPUT    : 'output' ;
LOSS      : 'loss' ;
OPTIMIZER : 'optimizer' ;
PENALTY   : 'penalty' ;
TRAIN     : 'train' ;
DATA      : 'data' ;
THEN      : 'then' ;
EVERY     : 'every' ;

ARROW   : '->' ;
LBRACE  : '{' ;
RBRACE  : '}' ;
LPAREN  : '(' ;
RPAREN  : ')' ;
LBRACK  : '[' ;
RBRACK  : ']' ;
COMMA   : ',' ;
COLON   : ':' ;
ASSIGN  : '=' ;
PLUS    : '+' ;
MINUS   : '-' ;
STAR    : '*' ;
SLASH   : '/' ;
PERCENT : '%' ;
LE      : '<=' ;
GE      : '>=' ;
LT      : '<' ;
GT      : '>' ;

NUMBER : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT? ;
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;
IDENT  : [a-zA-Z_] [a-zA-Z_0-9]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n\f]+ -> channel(HIDDEN) ;

// Anything else is one bad character: kept out of the parser's way and reported on its own.
UNEXPECTED_CHAR : . -> channel(HIDDEN) ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
