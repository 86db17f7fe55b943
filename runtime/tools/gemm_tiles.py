#!/usr/bin/env python3
"""Writes runtime/src/main/java/dev/nnc/runtime/vector/GemmTiles.java: the register tiles of
the packed product (Gemm), spelt out accumulator by accumulator (C2 in JDK 17 keeps vectors in registers only in
plain code). Edit this script, not the Java file, and run it: python3 runtime/tools/gemm_tiles.py"""
import os

def offset(base, at):
    return base if not at else f"{base} + {at}"


def tile(rows, vectors=4):
    """rows of a by the first `vectors` vectors of one panel."""
    r, vs = range(rows), range(vectors)
    params = "float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart"
    out = [f"    /** Rows [row, row + {rows}) of c by {vectors} vector(s) of one panel. */",
           f"    static void tile{rows}x{vectors}({params}) {{",
           "        FloatVector zero = FloatVector.zero(S);"]
    out += ["        FloatVector " + ", ".join(f"c{i}{v} = zero" for v in vs) + ";" for i in r]
    out += [f"        int a{i} = (row + {i}) * lda;" for i in r]
    out += ["        int end = bStart + k * PANEL;",
            "        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {"]
    out += [f"            FloatVector b{v} = FloatVector.fromArray(S, b, {offset('p', 16 * v)});" for v in vs]
    for i in r:
        out.append(f"            FloatVector x{i} = FloatVector.broadcast(S, a[a{i} + kk]);")
        out.append("            " + " ".join(f"c{i}{v} = x{i}.fma(b{v}, c{i}{v});" for v in vs))
    out.append("        }")
    for i in r:
        at = "cStart" if i == 0 else f"cStart + {i} * ldc"
        out.append("        " + " ".join(f"c{i}{v}.intoArray(c, {offset(at, 16 * v)});" for v in vs))
    out.append("    }")
    return "\n".join(out)


def row_tile(panels):
    """One row by `panels` whole panels, each k * PANEL floats after the one before: 4 * panels chains of FMAs."""
    n = 4 * panels
    out = [f"    /** One row of c by {panels} whole panels, each {{@code k * PANEL}} floats after the one before. */",
           f"    static void tile1x{n}(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {{",
           "        FloatVector zero = FloatVector.zero(S);",
           "        FloatVector " + ", ".join(f"c{j} = zero" for j in range(n)) + ";",
           "        int a0 = row * lda;",
           "        int panel = k * PANEL;",
           "        int end = bStart + k * PANEL;",
           "        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {",
           "            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);"]
    for j in range(n):
        base = "p" if j < 4 else ("p + panel" if j < 8 else f"p + {j // 4} * panel")
        out.append(f"            c{j} = x.fma(FloatVector.fromArray(S, b, {offset(base, 16 * (j % 4))}), c{j});")
    out.append("        }")
    for j0 in range(0, n, 4):
        out.append("        " + " ".join(f"c{j}.intoArray(c, {offset('cStart', 16 * j)});" for j in range(j0, j0 + 4)))
    out.append("    }")
    return "\n".join(out)


KERNELS = [tile(6), tile(4), tile(2), tile(1), row_tile(2), row_tile(4), tile(6, 1), tile(1, 1)]

SOURCE = f"""// Written by runtime/tools/gemm_tiles.py: edit that script, not this file.
package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {{@link Gemm}}: six rows of a broadcast against the four vectors
 * of a panel of packed weights (the kernel of a batch); four, two and one rows for the
 * rows a batch leaves past its tiles of six; one row by two or four panels at once for
 * a single sample (eight or sixteen chains of FMAs in flight); and six rows or one by
 * one vector, for a last panel narrower than 64 columns. Each element of c is the same
 * chain of FMAs over k whichever tile computes it.
 */
final class GemmTiles {{
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int PANEL = Gemm.PANEL;

    private GemmTiles() {{}}

{(chr(10) + chr(10)).join(KERNELS)}
}}
"""

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "java", "dev", "nnc", "runtime", "vector", "GemmTiles.java")
with open(path, "w") as f:
    f.write(SOURCE)
