package dev.nnc.runtime.spec;

import java.util.List;

/** The {@code data { ... }} block: default sources, paths as written in the file. */
public record DataSpec(SourceSpec train, SourceSpec test) {

    /**
     * {@code csv(path, target = "column")}, {@code idx(images, labels)} or, for the
     * test set only, {@code split(fraction)} of the training data.
     */
    public record SourceSpec(String kind, List<String> paths, String targetColumn, double fraction) {
        public static SourceSpec csv(String path, String targetColumn) {
            return new SourceSpec("csv", List.of(path), targetColumn, 0);
        }

        public static SourceSpec idx(String images, String labels) {
            return new SourceSpec("idx", List.of(images, labels), null, 0);
        }

        public static SourceSpec split(double fraction) {
            return new SourceSpec("split", List.of(), null, fraction);
        }
    }
}
