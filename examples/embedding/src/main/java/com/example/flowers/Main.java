package com.example.flowers;

import dev.nnc.runtime.predict.Classification;

import java.util.Locale;

/**
 * Classifies the flowers given on the command line, each as four measurements in cm:
 * sepal length, sepal width, petal length, petal width.
 *
 * <pre>java -cp target/classes:nnc-runtime.jar com.example.flowers.Main 5.1,3.5,1.4,0.2 6.7,3.0,5.2,2.3</pre>
 */
public final class Main {
    public static void main(String[] args) {
        Iris iris = Iris.load();                       // the weights bundled beside the class
        for (String flower : args) {
            Classification c = iris.predict(measurements(flower));
            System.out.printf(Locale.ROOT, "%s: %s (%.3f)%n", flower, c.label(), c.probability());
        }
    }

    private static float[] measurements(String text) {
        String[] fields = text.split(",");
        float[] values = new float[fields.length];
        for (int i = 0; i < fields.length; i++) values[i] = Float.parseFloat(fields[i].trim());
        return values;
    }
}
