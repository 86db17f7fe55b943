#!/usr/bin/env python3
"""Writes runtime/src/main/java/dev/nnc/runtime/vector/ConvTiles.java: the register-tile
micro-kernels of the convolutions, six rows by two or four vectors, spelt out accumulator
by accumulator (C2 in JDK 17 keeps vectors in registers only in plain code; see the
class comment). Edit this script, not the Java file, and run it: python3 runtime/tools/conv_tiles.py"""
import os

R = range(6)


def decl(nv):
    out = []
    for i in R:
        names = [f"s{i}{v}" for v in range(nv)]
        if i == 0:
            out.append("        FloatVector s00 = FloatVector.zero(S)" + "".join(f", {n} = s00" for n in names[1:]) + ";")
        else:
            out.append("        FloatVector " + ", ".join(f"{n} = s00" for n in names) + ";")
    return "\n".join(out) + "\n"
def loads(nv, arr, at, two_var=None):
    """b0..b(nv-1) = vectors at arr[at], arr[at + L]...; with two_var, the second is at + two_var (16, or 0: the first again)."""
    out = []
    for v in range(nv):
        off = "" if v == 0 else f" + {two_var}" if v == 1 and two_var else " + L" if v == 1 else f" + {v} * L"
        out.append(f"            FloatVector b{v} = FloatVector.fromArray(S, {arr}, {at}{off});")
    return "\n".join(out) + "\n"
def fmas(nv, idx):
    out = []
    for i in R:
        out.append(("            FloatVector x = " if i == 0 else "            x = ") + f"FloatVector.broadcast(S, a[{idx(i)}]);")
        out.append("            " + " ".join(f"s{i}{v} = x.fma(b{v}, s{i}{v});" for v in range(nv)))
    return "\n".join(out) + "\n"
def cols(v):
    return "" if v == 0 else (" + L" if v == 1 else f" + {v} * L")
ROWS_A = "int a0, int a1, int a2, int a3, int a4, int a5"
ROWS_C = "int c0, int c1, int c2, int c3, int c4, int c5"

def window_loop(nv, second):
    return f'''        int run = kw * segment;
        int jump = rowStride - run;
        int e = 0;
        int left = run;
        for (int p = bStart, end = bStart + kh * run * PANEL; p < end; p += PANEL) {{
{loads(nv, "b", "p", second)}{fmas(nv, lambda i: f"a{i} + e")}            e++;
            if (--left == 0) {{
                e += jump;
                left = run;
            }}
        }}
'''
def by_vector(nv, two, statement):
    """statement(i, v) for the six rows of each vector; with two, the second vector's only when the block has 32 columns."""
    lines = []
    for v in range(nv):
        stmts = [statement(i, v) for i in R]
        if two and v == 1:
            lines += ["        if (two) {"] + ["            " + s for s in stmts] + ["        }"]
        else:
            lines += ["        " + s for s in stmts]
    return "\n".join(lines) + "\n"


def store(nv, two):
    lines = ["        FloatVector low = FloatVector.broadcast(S, floor);"]
    for v in range(nv):
        off = cols(v) if not (two and v == 1) else " + second"
        lines.append(f"        FloatVector bias{v} = FloatVector.fromArray(S, bias, biasAt{off});")
    return "\n".join(lines) + "\n" + by_vector(nv, two, lambda i, v: f"s{i}{v}.add(bias{v}).max(low).intoArray(c, c{i}{cols(v)});")


def add(nv, two):
    return by_vector(nv, two, lambda i, v:
                     f"s{i}{v}.add(FloatVector.fromArray(S, c, c{i}{cols(v)})).intoArray(c, c{i}{cols(v)});")


def store_kernel(nv):
    two = nv == 2
    name = "store2" if two else "store4"
    doc = ('''    /**
     * Six rows times 32 (or 16: {@code remaining}) columns: row i is the sum over the
     * window (kh runs of kw * segment consecutive floats of a from a_i, runs rowStride
     * apart) of a times the rows of a panel (PANEL apart, from bStart); stored at c_i plus
     * the bias, and at least {@code floor}.
     */''' if two else '''    /** {@link #store2} over four vectors (64 columns): 24 accumulators, as {@link Gemm}'s micro-kernel. */''')
    params = (f"float[] a, {ROWS_A}, int kh, int kw, int rowStride, int segment,\n"
              f"                       float[] b, int bStart, float[] bias, int biasAt, float floor,\n"
              f"                       float[] c, {ROWS_C}" + (", int remaining" if two else ""))
    head = f"    static void {name}({params}) {{\n"
    pre = ("        boolean two = remaining > L;\n        int second = two ? L : 0; // one vector: read the first twice rather than past the rows\n" if two else "")
    return doc + "\n" + head + pre + decl(nv) + window_loop(nv, "second" if two else None) + store(nv, two) + "    }\n"

def accumulators_from(nv, two, array, offset):
    """The accumulators s_iv declared with what is in array at offset_i (the second vector at + second when two)."""
    start = []
    for v in range(nv):
        for i in R:
            at = f"{offset}{i}{cols(v)}" if not (two and v == 1) else f"{offset}{i} + second"
            start.append(f"        FloatVector s{i}{v} = FloatVector.fromArray(S, {array}, {at});")
    return start

def panel_loop(nv, two, count):
    """Six rows of a (count consecutive floats from each a_i) times count rows of a panel, PANEL apart from bStart."""
    return (f"        for (int p = bStart, end = bStart + {count} * PANEL, e = 0; p < end; p += PANEL, e++) {{\n"
            + loads(nv, "b", "p", "second" if two else None) + fmas(nv, lambda i: f"a{i} + e") + "        }\n")

def run_kernel(nv):
    two = nv == 2
    name = "run2" if two else "run4"
    doc = ("""    /**
     * Six rows times 32 (or 16: {@code remaining}) columns, over one row of the window:
     * row i is what is at init_i plus the product of {@code run} consecutive floats of a
     * from a_i by as many rows of a panel (PANEL apart, from bStart); stored at c_i, at
     * least {@code floor}. A loop that C2 counts (a constant stride, indices that grow with
     * it): it keeps the accumulators in registers and checks no bounds inside.
     */""" if two else """    /** {@link #run2} over four vectors (64 columns). */""")
    params = (f"float[] a, {ROWS_A}, int run, float[] b, int bStart,\n"
              f"                     float[] init, int i0, int i1, int i2, int i3, int i4, int i5, float floor,\n"
              f"                     float[] c, {ROWS_C}" + (", int remaining" if two else ""))
    head = f"    static void {name}({params}) {{\n"
    pre = ("        boolean two = remaining > L;\n        int second = two ? L : 0;\n" if two else "")
    start = accumulators_from(nv, two, "init", "i")
    loop = panel_loop(nv, two, "run") + "        FloatVector low = FloatVector.broadcast(S, floor);\n"
    stores = by_vector(nv, two, lambda i, v: f"s{i}{v}.max(low).intoArray(c, c{i}{cols(v)});")
    return doc + "\n" + head + pre + "\n".join(start) + "\n" + loop + stores + "    }\n"

def add_kernel(nv):
    two = nv == 2
    name = "add2" if two else "add4"
    doc = ('''    /**
     * Six rows times 32 (or 16: {@code remaining}) columns: row i is the product of
     * {@code k} consecutive floats of a from a_i by the rows of a panel (PANEL apart, from
     * bStart), added to what is at c_i.
     */''' if two else '''    /** {@link #add2} over four vectors (64 columns). */''')
    params = (f"float[] a, {ROWS_A}, int k, float[] b, int bStart,\n"
              f"                     float[] c, {ROWS_C}" + (", int remaining" if two else ""))
    head = f"    static void {name}({params}) {{\n"
    pre = ("        boolean two = remaining > L;\n        int second = two ? L : 0;\n" if two else "")
    return doc + "\n" + head + pre + decl(nv) + panel_loop(nv, two, "k") + add(nv, two) + "    }\n"

def sums_kernel(nv):
    two = nv == 2
    name = "sums2" if two else "sums4"
    doc = ('''    /**
     * Six filter elements (window offsets o_i) times 32 (or 16) filters from fo, summed
     * over {@code count} pixels from pixel q0 and added to the sums at c_i: the filter
     * gradient, a block of pixels at a time. One loop over the pixels: base is the window
     * of pixel q, moved a stride along the row, down a row, or on to the next image.
     */''' if two else '''    /** {@link #sums2} over four vectors (64 filters): each pixel's 64 gradients are read once for six filter elements. */''')
    params = (f"float[] a, int imageSize, int lineSize, int channels, int o0, int o1, int o2, int o3, int o4, int o5,\n"
              f"                      int q0, int count, int oh, int ow, int stride, float[] dy, int f, int fo, float[] out,\n"
              f"                      {ROWS_C}")
    head = f"    static void {name}({params}) {{\n"
    pre = ("        boolean two = f - fo > L;\n        int second = two ? L : 0;\n" if two else "")
    loop = f'''        int step = stride * channels;
        int down = stride * lineSize;
        int image = q0 / (oh * ow) * imageSize;
        int oy = q0 / ow % oh;
        int ox = q0 % ow;
        int line = image + oy * down;
        int base = line + ox * step;
        int leftX = ow - ox;
        int leftY = oh - oy;
        for (int q = 0, d = q0 * f + fo; q < count; q++, d += f) {{
{loads(nv, "dy", "d", "second" if two else None)}{fmas(nv, lambda i: f"base + o{i}")}            base += step;
            if (--leftX == 0) {{
                leftX = ow;
                line += down;
                if (--leftY == 0) {{
                    leftY = oh;
                    image += imageSize;
                    line = image;
                }}
                base = line;
            }}
        }}
'''
    stores = by_vector(nv, two, lambda i, v: f"s{i}{v}.intoArray(out, c{i}{cols(v)});")
    start = accumulators_from(nv, two, "out", "c")
    return doc + "\n" + head + pre + "\n".join(start) + "\n" + loop + stores + "    }\n"

header = '''// Written by runtime/tools/conv_tiles.py: edit that script, not this file.
package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link Conv}: six rows by two or four vectors of 16 columns in
 * registers, one method per use (store with bias and floor, add, filter sums), so that
 * no method has a path that another caller's profile leaves cold. Written out
 * accumulator by accumulator, because C2 (JDK 17) keeps vectors in registers only in
 * plain code: a vector chosen by a condition, carried through nested loops or from one
 * loop into the next, passed to a call that is not inlined, or stored with a mask from
 * {@code indexInRange} is boxed, and the kernel runs 15 to 90 times slower.
 */
final class ConvTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    private static final int PANEL = Conv.PANEL;

    private ConvTiles() {}

'''
body = "\n".join([store_kernel(2), store_kernel(4), run_kernel(2), run_kernel(4), add_kernel(2), add_kernel(4), sums_kernel(2), sums_kernel(4)])
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'java', 'dev', 'nnc', 'runtime', 'vector', 'ConvTiles.java'), 'w').write(header + body + "}\n")
