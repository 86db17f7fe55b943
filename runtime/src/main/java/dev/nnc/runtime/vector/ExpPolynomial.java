package dev.nnc.runtime.vector;

/**
 * The constants of nnc's e^x on float vectors, Cephes' {@code expf}: x = n ln 2 + r with
 * n an integer, a polynomial for e^r on [-ln 2 / 2, ln 2 / 2], then 2^n from the exponent
 * bits; only operations that Java defines to the bit (multiplications, additions, fused
 * multiply-adds, reinterpretations, shifts), so that it gives the same bits compiled and
 * interpreted, which the Vector API's {@code lanewise(EXP)} does not. Within 2 ulp of
 * {@code Math.exp} over the normal range. The compiler writes it into generated vector
 * loops (its VectorExpWriter); {@link Softmax} carries it in Java. Both read the
 * constants here, which javac copies into them: this class touches no vector.
 */
public final class ExpPolynomial {
    /** x is clamped to [LOWEST, HIGHEST] first: past these e^x is 0 or infinity anyway, and n fits the scaling. */
    public static final float LOWEST = -104f;
    public static final float HIGHEST = 89f;
    public static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts, the first with few enough bits that n * LN2_HI is exact. */
    public static final float LN2_HI = 0.693359375f;
    public static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 to the nearest integer. */
    public static final float ROUNDER = 12582912f;
    /** The polynomial for (e^r - 1 - r) / r^2, highest degree first. */
    public static final float P0 = 1.9875691500e-4f;
    public static final float P1 = 1.3981999507e-3f;
    public static final float P2 = 8.3334519073e-3f;
    public static final float P3 = 4.1665795894e-2f;
    public static final float P4 = 1.6666665459e-1f;
    public static final float P5 = 5.0000001201e-1f;

    private ExpPolynomial() {}
}
