package dev.nnc.runtime.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON that nnc reads and writes (a model's spec, a weights file's header,
 * metrics), so that the prediction runtime needs no library. Objects are
 * {@code Map<String, Object>} in key order, arrays {@code List<Object>}, numbers
 * {@link Number} kept as their text (so a float reads back bit for bit), and strings,
 * booleans and null as themselves.
 */
public final class Json {
    private final String text;
    private int at;

    /** A number as written: converting it is the reader's choice (float, double, long). */
    public record Number(String text) {
        public double asDouble() {
            return Double.parseDouble(text);
        }

        public float asFloat() {
            return Float.parseFloat(text);
        }

        public long asLong() {
            return text.contains(".") || text.contains("e") || text.contains("E")
                    ? (long) Double.parseDouble(text) : Long.parseLong(text);
        }
    }

    /** Text that is not JSON; the message says where. */
    public static final class SyntaxError extends IllegalArgumentException {
        SyntaxError(String message) {
            super(message);
        }
    }

    private Json(String text) {
        this.text = text;
    }

    public static Object parse(String text) {
        Json json = new Json(text);
        Object value = json.value();
        json.space();
        if (json.at != text.length()) throw json.error("text after the value");
        return value;
    }

    /** The object at the top of {@code text}; a {@link SyntaxError} when it is something else. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) throw new SyntaxError("not a JSON object");
        return (Map<String, Object>) value;
    }

    private Object value() {
        space();
        if (at >= text.length()) throw error("unexpected end");
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        space();
        if (peek('}')) return map;
        do {
            space();
            if (at >= text.length() || text.charAt(at) != '"') throw error("expected a key");
            String key = string();
            space();
            expect(':');
            map.put(key, value());
            space();
        } while (peek(','));
        expect('}');
        return map;
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        at++;
        space();
        if (peek(']')) return list;
        do {
            list.add(value());
            space();
        } while (peek(','));
        expect(']');
        return list;
    }

    private String string() {
        StringBuilder s = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) throw error("unterminated string");
            char c = text.charAt(at++);
            if (c == '"') return s.toString();
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (at >= text.length()) throw error("unterminated string");
            char e = text.charAt(at++);
            switch (e) {
                case 'n' -> s.append('\n');
                case 't' -> s.append('\t');
                case 'r' -> s.append('\r');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'u' -> {
                    if (at + 4 > text.length()) throw error("bad \\u escape");
                    try {
                        s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    at += 4;
                }
                default -> s.append(e);
            }
        }
    }

    private Number number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
        String digits = text.substring(start, at);
        try {
            Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            at = start;
            throw error("unexpected character");
        }
        return new Number(digits);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) throw error("unexpected character");
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private boolean peek(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) throw error("expected '" + c + "'");
    }

    private SyntaxError error(String what) {
        return new SyntaxError("JSON: " + what + " at character " + at);
    }

    // ---- writing ----

    /** Compact JSON of maps, lists, strings, numbers, booleans, null and float or double arrays. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, null);
        return out.toString();
    }

    /** The same, indented by two spaces per level, for files people read. */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "\n");
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, String indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Number n) {
            out.append(n.text());
        } else if (value instanceof Float f) {
            out.append(finite(f) ? f.toString() : "null");
        } else if (value instanceof Double d) {
            out.append(finite(d) ? d.toString() : "null");
        } else if (value instanceof java.lang.Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof float[] a) {
            List<Object> list = new ArrayList<>(a.length);
            for (float f : a) list.add(f);
            write(list, out, null);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, out, indent);
        } else if (value instanceof List<?> list) {
            writeArray(list, out, indent);
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void writeObject(Map<?, ?> map, StringBuilder out, String indent) {
        String inner = indent == null ? null : indent + "  ";
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) out.append(',');
            first = false;
            if (inner != null) out.append(inner);
            quote(String.valueOf(e.getKey()), out);
            out.append(inner == null ? ":" : ": ");
            write(e.getValue(), out, inner);
        }
        if (indent != null && !map.isEmpty()) out.append(indent);
        out.append('}');
    }

    private static void writeArray(List<?> list, StringBuilder out, String indent) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) out.append(indent == null ? "," : ", ");
            write(list.get(i), out, indent);
        }
        out.append(']');
    }

    private static boolean finite(double d) {
        return !Double.isNaN(d) && !Double.isInfinite(d);
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
