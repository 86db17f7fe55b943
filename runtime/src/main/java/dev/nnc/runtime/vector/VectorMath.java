package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, log and log1p of whole vectors, made of additions, multiplications, fused
 * multiply-adds and bit operations only: operations that Java defines to the bit. The
 * Vector API's own {@code lanewise(EXP)} is not so defined: compiled by C2 it calls
 * the JVM's vector math library, interpreted it calls {@code Math.exp} lane by lane,
 * and the two differ in the last bit for about one value in a hundred. A training run
 * would then depend on when the JIT compiled its kernels, and the same seed would not
 * give the same weights. These give the same bits in the interpreter and compiled.
 * <p>
 * The methods are Cephes' single-precision {@code expf} and {@code logf} (range
 * reduction, then a polynomial), within 2 ulp of the true value for normal results.
 */
public final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 in two parts, the first with few enough bits that n * LN2_HI is exact
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // 1.5 * 2^23: adding it rounds a float below 2^22 to the nearest integer
    private static final float ROUNDER = 12582912f;
    private static final float[] EXP_POLY = {
            1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
            4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
    private static final float[] LOG_POLY = {
            7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f,
            -1.2420140846e-1f, 1.4249322787e-1f, -1.6668057665e-1f,
            2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};
    private static final float SQRT_HALF = 0.707106781186547524f;

    private VectorMath() {}

    /** e^x lane by lane; overflows to infinity above 88.72, underflows through the subnormals to 0. */
    public static FloatVector exp(FloatVector x) {
        // past these bounds the result is infinity or 0 anyway; inside them n fits the scaling below
        FloatVector clamped = x.max(-104f).min(89f);
        FloatVector n = clamped.fma(LOG2E, ROUNDER).sub(ROUNDER);
        FloatVector r = n.fma(n.broadcast(-LN2_HI), clamped);
        r = n.fma(n.broadcast(-LN2_LO), r);
        FloatVector p = polynomial(EXP_POLY, r);
        FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n as two factors, each a normal float for n in [-150, 129]: their product
        // overflows or goes subnormal exactly as e^x does
        IntVector whole = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = whole.lanewise(VectorOperators.ASHR, 1);
        return er.mul(powerOfTwo(half)).mul(powerOfTwo(whole.sub(half)));
    }

    /** The natural logarithm lane by lane: -infinity at 0, NaN below it, infinity at infinity. */
    public static FloatVector log(FloatVector x) {
        // subnormals are scaled into the normal range first and the exponent corrected after
        VectorMask<Float> tiny = x.lt(Float.MIN_NORMAL);
        FloatVector normal = x.blend(x.mul(0x1p23f), tiny);
        IntVector bits = normal.reinterpretAsInts();
        // x = m * 2^e with m in [0.5, 1)
        IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).sub(126)
                .sub(IntVector.zero(bits.species()).blend(23, tiny.cast(bits.species())));
        FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
        // m below sqrt(1/2) is doubled, so that m - 1 lies in [sqrt(1/2) - 1, sqrt(2) - 1]
        VectorMask<Float> low = m.lt(SQRT_HALF);
        FloatVector e = ((FloatVector) exponent.convert(VectorOperators.I2F, 0))
                .sub(FloatVector.zero(m.species()).blend(1f, low));
        FloatVector f = m.add(m.blend(0f, low.not())).sub(1f);
        FloatVector z = f.mul(f);
        FloatVector y = polynomial(LOG_POLY, f).mul(f).mul(z)
                .add(e.mul(LN2_LO)).sub(z.mul(0.5f));
        FloatVector result = f.add(y).add(e.mul(LN2_HI));
        result = result.blend(Float.NEGATIVE_INFINITY, x.eq(0f));
        result = result.blend(Float.NaN, x.lt(0f).or(x.test(VectorOperators.IS_NAN)));
        return result.blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY));
    }

    /** ln(1 + x), accurate for x near 0: log(u) * x / (u - 1) with u = 1 + x corrects u's rounding. */
    public static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        FloatVector d = u.sub(1f);
        FloatVector corrected = log(u).mul(x.div(d));
        // where 1 + x rounds to 1, ln(1 + x) is x to within its last bit; at infinity x / d is NaN
        return corrected.blend(x, d.eq(0f)).blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY));
    }

    /** Horner's rule over the coefficients, highest degree first. */
    private static FloatVector polynomial(float[] coefficients, FloatVector x) {
        FloatVector p = x.broadcast(coefficients[0]);
        for (int i = 1; i < coefficients.length; i++) p = p.fma(x, x.broadcast(coefficients[i]));
        return p;
    }

    private static FloatVector powerOfTwo(IntVector n) {
        return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }
}
