package dev.nnc.compiler.ir;

/**
 * An optimizer with its hyper-parameters (unused ones are 0). The learning rate given
 * here is the base rate; schedules scale it at run time.
 */
public record Optimizer(String kind, double lr, double momentum, boolean nesterov, double rho,
                        double beta1, double beta2, double eps, double weightDecay) {

    public static Optimizer sgd(double lr, double momentum, boolean nesterov) {
        return new Optimizer("sgd", lr, momentum, nesterov, 0, 0, 0, 0, 0);
    }

    /** Optimizer state arrays per parameter tensor. */
    public int stateSlots() {
        return switch (kind) {
            case "sgd" -> momentum > 0 ? 1 : 0;
            case "adagrad", "rmsprop" -> 1;
            case "adam", "adamw" -> 2;
            default -> throw new IllegalStateException(kind);
        };
    }

    public String describe() {
        return switch (kind) {
            case "sgd" -> "sgd(lr = " + lr + ", momentum = " + momentum + ", nesterov = " + nesterov + ")";
            case "adagrad" -> "adagrad(lr = " + lr + ", eps = " + eps + ")";
            case "rmsprop" -> "rmsprop(lr = " + lr + ", rho = " + rho + ", eps = " + eps + ")";
            case "adam" -> "adam(lr = " + lr + ", beta1 = " + beta1 + ", beta2 = " + beta2 + ", eps = " + eps + ")";
            default -> "adamw(lr = " + lr + ", beta1 = " + beta1 + ", beta2 = " + beta2 + ", eps = " + eps
                    + ", weight_decay = " + weightDecay + ")";
        };
    }
}
