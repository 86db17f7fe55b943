package dev.nnc.spark;

import dev.nnc.compiler.DeepStack;
import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.ModelSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ToParquet MODEL.nn train|test OUT [PARTITIONS]}: the model's own training or test
 * data (its data block: CSV or IDX files) as a Parquet table, in the order nnc reads it:
 * one array column of the inputs, named as the model's input, and the target column,
 * the class index for a class target. For trying nnc on Spark with data one has.
 */
public final class ToParquet {
    private ToParquet() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ToParquet MODEL.nn train|test OUT.parquet [PARTITIONS]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        ModelSpec spec = DeepStack.run(() -> {
            try {
                return Compiler.compile(Frontend.check(SourceFile.read(model)), false).spec();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        SourceSpec source = args[1].equals("test") ? spec.data().test() : spec.data().train();
        Dataset data = DataSources.read(spec, source, model.toAbsolutePath().getParent());
        StructType schema = new StructType()
                .add(spec.inputName(), DataTypes.createArrayType(DataTypes.FloatType, false))
                .add(spec.targetName(), spec.targetWidth() == 1 ? DataTypes.FloatType
                        : DataTypes.createArrayType(DataTypes.FloatType, false));
        List<Row> rows = new ArrayList<>();
        float[] x = new float[data.inputWidth()];
        float[] y = new float[data.targetWidth()];
        for (int r = 0; r < data.rows(); r++) {
            data.copyRow(r, x, 0, y, 0);
            rows.add(RowFactory.create(x.clone(), y.length == 1 ? (Object) y[0] : y.clone()));
        }
        SparkSession spark = SparkSession.builder().appName("nnc to parquet").getOrCreate();
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        var sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        // row groups of 16 MB, so that readers can cut the file into partitions of any size
        spark.createDataFrame(sc.parallelize(rows, partitions), schema).write().mode("overwrite")
                .option("parquet.block.size", 16 << 20).parquet(args[2]);
        System.out.println("wrote " + rows.size() + " rows of " + spec.name() + "'s " + args[1] + " data to " + args[2]);
        spark.stop();
    }
}
