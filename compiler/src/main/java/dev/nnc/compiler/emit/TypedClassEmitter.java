package dev.nnc.compiler.emit;

import dev.nnc.runtime.spec.ModelSpec.TargetKind;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import static org.objectweb.asm.Opcodes.*;

/**
 * Writes the typed class an application uses, named like the model: a final subclass
 * of the runtime's {@code Classifier}, {@code BinaryClassifier} or {@code Regressor}
 * (which hold all the behaviour) with three static factories that tie it to its
 * network class and its bundled weights:
 *
 * <pre>
 * public final class Iris extends Classifier {
 *     private Iris(Predictor p) { super(p); }
 *     public static Iris load(Path weights)        { return new Iris(Predictor.load(Iris$Network.class, weights)); }
 *     public static Iris load(InputStream weights) { return new Iris(Predictor.load(Iris$Network.class, weights)); }
 *     public static Iris load()                    { return new Iris(Predictor.loadBundled(Iris.class, Iris$Network.class)); }
 * }
 * </pre>
 */
public final class TypedClassEmitter {
    private static final String PREDICT = "dev/nnc/runtime/predict/";
    private static final String PREDICTOR = PREDICT + "Predictor";
    private static final String CLASS = "Ljava/lang/Class;";

    private TypedClassEmitter() {}

    /** {@code typed} and {@code network}: internal names, e.g. {@code nnc/models/Iris} and {@code nnc/models/Iris$Network}. */
    public static byte[] emit(String typed, String network, TargetKind target, String sourceFile) {
        String base = PREDICT + switch (target) {
            case CLASS -> "Classifier";
            case BINARY -> "BinaryClassifier";
            case REAL -> "Regressor";
        };
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, typed, null, base, null);
        cw.visitSource(sourceFile, null);

        MethodVisitor init = cw.visitMethod(ACC_PRIVATE, "<init>", "(L" + PREDICTOR + ";)V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitMethodInsn(INVOKESPECIAL, base, "<init>", "(L" + PREDICTOR + ";)V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        factory(cw, typed, "Ljava/nio/file/Path;", mv -> {
            mv.visitLdcInsn(Type.getObjectType(network));
            mv.visitVarInsn(ALOAD, 0);
            mv.visitMethodInsn(INVOKESTATIC, PREDICTOR, "load", "(" + CLASS + "Ljava/nio/file/Path;)L" + PREDICTOR + ";", false);
        });
        factory(cw, typed, "Ljava/io/InputStream;", mv -> {
            mv.visitLdcInsn(Type.getObjectType(network));
            mv.visitVarInsn(ALOAD, 0);
            mv.visitMethodInsn(INVOKESTATIC, PREDICTOR, "load", "(" + CLASS + "Ljava/io/InputStream;)L" + PREDICTOR + ";", false);
        });
        factory(cw, typed, "", mv -> {
            mv.visitLdcInsn(Type.getObjectType(typed));
            mv.visitLdcInsn(Type.getObjectType(network));
            mv.visitMethodInsn(INVOKESTATIC, PREDICTOR, "loadBundled", "(" + CLASS + CLASS + ")L" + PREDICTOR + ";", false);
        });
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code public static T load(parameter)}: new T(the Predictor that {@code predictor} pushes). */
    private static void factory(ClassWriter cw, String typed, String parameter,
                                java.util.function.Consumer<MethodVisitor> predictor) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "load", "(" + parameter + ")L" + typed + ";", null, null);
        if (!parameter.isEmpty()) mv.visitParameter("weights", 0);
        mv.visitCode();
        mv.visitTypeInsn(NEW, typed);
        mv.visitInsn(DUP);
        predictor.accept(mv);
        mv.visitMethodInsn(INVOKESPECIAL, typed, "<init>", "(L" + PREDICTOR + ";)V", false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
