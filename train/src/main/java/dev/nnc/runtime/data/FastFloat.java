package dev.nnc.runtime.data;

/**
 * Decimal numbers parsed straight from bytes, for the common case: at most 2^24 as a
 * whole number of digits and a decimal exponent within ±10, where one float
 * multiplication or division of two exact floats gives the correctly rounded result,
 * as {@link Float#parseFloat} does. Anything else (more digits, NaN, hexadecimal,
 * a stray character) is left to {@code Float.parseFloat}, so the values and the errors
 * are exactly those of the slow path.
 */
final class FastFloat {
    /** Returned when the fast path does not apply (NaN is never a successful result). */
    static final float UNPARSED = Float.NaN;
    private static final float[] POWERS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

    private FastFloat() {}

    /** The number in b[from, to) (already trimmed), or {@link #UNPARSED}. */
    static float parse(byte[] b, int from, int to) {
        int i = from;
        if (i == to) return UNPARSED;
        boolean negative = b[i] == '-';
        if (negative || b[i] == '+') i++;
        long mantissa = 0;
        int digits = 0;
        int fraction = 0;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++, digits++) mantissa = mantissa * 10 + (b[i] - '0');
        if (i < to && b[i] == '.') {
            for (i++; i < to && b[i] >= '0' && b[i] <= '9'; i++, digits++, fraction++) mantissa = mantissa * 10 + (b[i] - '0');
        }
        if (digits == 0 || digits > 18) return UNPARSED;
        int exponent = 0;
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = i < to && b[i] == '-';
            if (i < to && (b[i] == '-' || b[i] == '+')) i++;
            int start = i;
            for (; i < to && b[i] >= '0' && b[i] <= '9' && i - start < 4; i++) exponent = exponent * 10 + (b[i] - '0');
            if (i == start) return UNPARSED;
            if (negativeExponent) exponent = -exponent;
        }
        if (i != to) return UNPARSED;
        if (mantissa == 0) return negative ? -0f : 0f;
        int power = exponent - fraction;
        if (mantissa > (1 << 24) || power < -10 || power > 10) return UNPARSED;
        float v = power >= 0 ? (float) mantissa * POWERS[power] : (float) mantissa / POWERS[-power];
        return negative ? -v : v;
    }
}
