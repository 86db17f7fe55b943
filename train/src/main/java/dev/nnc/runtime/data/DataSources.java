package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.ModelSpec;

import java.nio.file.Path;

/** Opens the data a model names, or what the command line gives instead. */
public final class DataSources {
    private DataSources() {}

    /** Reads a source; relative paths are resolved against {@code base}. */
    public static Dataset read(ModelSpec spec, SourceSpec source, Path base) {
        return read(spec, source, base, LoadProgress.NONE);
    }

    /** The same, telling {@code progress} how a long load goes. */
    public static Dataset read(ModelSpec spec, SourceSpec source, Path base, LoadProgress progress) {
        return switch (source.kind()) {
            case "csv" -> new CsvReader(spec, source.targetColumn()).read(base.resolve(source.paths().get(0)), progress);
            case "idx" -> new IdxReader(spec).read(base.resolve(source.paths().get(0)), base.resolve(source.paths().get(1)));
            default -> throw new UserError("error: a " + source.kind() + " source cannot be read on its own");
        };
    }

    /** The names of a source's input features: a CSV file's columns; none for IDX images. */
    public static java.util.List<String> featureNames(ModelSpec spec, SourceSpec source, Path base) {
        return source.kind().equals("csv")
                ? new CsvReader(spec, source.targetColumn()).inputColumns(base.resolve(source.paths().get(0)))
                : java.util.List.of();
    }

    /**
     * A path from the command line: a CSV file with the model's target column, or
     * {@code IMAGES,LABELS} for IDX files.
     */
    public static SourceSpec fromPath(ModelSpec spec, SourceSpec declared, String path) {
        String[] parts = path.split(",");
        if (parts.length == 2) return SourceSpec.idx(parts[0], parts[1]);
        String column = declared != null && declared.kind().equals("csv") ? declared.targetColumn() : spec.targetName();
        return SourceSpec.csv(path, column);
    }
}
