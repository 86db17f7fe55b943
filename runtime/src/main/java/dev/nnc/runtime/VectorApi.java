package dev.nnc.runtime;

/**
 * Whether the runtime's own loops use the Vector API: as the compiled models decide, when
 * the incubator module is in the JVM and {@code -Dnnc.vector=false} does not turn it off.
 * A class that names the API's types is only loaded when this holds, so that a JVM
 * without the module runs the scalar loops instead of failing.
 */
public final class VectorApi {
    private static final boolean ENABLED = !"false".equals(System.getProperty("nnc.vector"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {}

    public static boolean enabled() {
        return ENABLED;
    }
}
