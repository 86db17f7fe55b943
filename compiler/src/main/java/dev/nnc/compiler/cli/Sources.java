package dev.nnc.compiler.cli;

import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

final class Sources {
    private Sources() {}

    static SourceFile read(Path file) {
        try {
            if (Files.isDirectory(file)) throw new UserError(file + ": error: is a folder, not a .nn file");
            return SourceFile.read(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": error: no such file");
        } catch (IOException e) {
            throw new UserError(file + ": error: cannot read: " + e.getMessage());
        }
    }
}
