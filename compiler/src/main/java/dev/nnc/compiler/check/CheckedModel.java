package dev.nnc.compiler.check;

import dev.nnc.compiler.ir.Loss;
import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.ir.Penalty;
import dev.nnc.runtime.spec.DataSpec;
import dev.nnc.runtime.spec.ModelSpec.Preprocessing;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;
import dev.nnc.runtime.spec.TrainSpec;

import java.util.List;

/** A model that passed every check: what lowering to the tensor graph starts from. */
public record CheckedModel(
        String name,
        Layer.Input input,
        Preprocessing preprocessing,
        String targetName,
        TargetKind targetKind,
        List<Integer> targetShape,
        List<String> classNames,
        Layer output,
        String outputName,
        Loss loss,
        Optimizer optimizer,
        Penalty penalty,
        TrainSpec train,
        DataSpec data) {}
