package dev.nnc.compiler.check;

import dev.nnc.compiler.check.Signatures.Category;
import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.source.Suggestions;
import dev.nnc.compiler.syntax.Ast.*;
import dev.nnc.runtime.spec.DataSpec;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.spec.TrainSpec.*;

import java.util.*;

/**
 * Checks the {@code train} and {@code data} blocks and fills in the defaults: 10
 * epochs, batches of 32, shuffled, no validation, a constant learning rate, seed 1,
 * a checkpoint after every epoch.
 */
final class TrainingChecker {
    private static final List<String> SETTINGS = Signatures.TRAINING_SETTINGS;

    private final Diagnostics diagnostics;
    private final ArgumentChecker arguments;
    private final ConstantEvaluator evaluator;
    private final boolean classes;
    private final String targetName;

    TrainingChecker(Diagnostics diagnostics, ArgumentChecker arguments, boolean classes, String targetName) {
        this.diagnostics = diagnostics;
        this.arguments = arguments;
        this.evaluator = arguments.evaluator();
        this.classes = classes;
        this.targetName = targetName;
    }

    TrainSpec train(TrainMember block) {
        int epochs = 10;
        int batch = 32;
        boolean shuffle = true;
        double validation = 0;
        EarlyStop earlyStop = null;
        Span earlyStopSpan = null;
        ScheduleSpec schedule = ScheduleSpec.CONSTANT;
        Span scheduleSpan = null;
        List<AugmentSpec> augment = new ArrayList<>();
        StopCondition until = null;
        Span untilSpan = null;
        long seed = 1;
        int checkpointEvery = 1;
        Span checkpointSpan = null;
        Set<String> seen = new HashSet<>();
        for (Setting setting : block == null ? List.<Setting>of() : block.settings()) {
            String name = setting.name().text();
            if (!SETTINGS.contains(name)) {
                diagnostics.error(setting.name().span(), "unknown training setting '" + name + "'"
                        + Suggestions.closest(name, SETTINGS).map(s -> "; did you mean '" + s + "'?")
                        .orElse("; expected one of " + String.join(", ", SETTINGS)));
                continue;
            }
            if (!seen.add(name) && !name.equals("augment")) {
                diagnostics.error(setting.name().span(), "'" + name + "' is set twice");
                continue;
            }
            switch (name) {
                case "epochs" -> epochs = single(setting).map(e -> (int) whole(e, 1)).orElse(epochs);
                case "batch" -> batch = single(setting).map(this::batch).orElse(batch);
                case "shuffle" -> shuffle = single(setting).map(this::bool).orElse(shuffle);
                case "validation" -> validation = single(setting).map(this::fraction).orElse(validation);
                case "seed" -> seed = single(setting).map(e -> (long) whole(e, 0)).orElse(seed);
                case "checkpoint" -> {
                    checkpointEvery = period(setting).orElse(checkpointEvery);
                    checkpointSpan = setting.span();
                }
                case "early_stop" -> {
                    earlyStop = earlyStop(setting);
                    earlyStopSpan = setting.span();
                }
                case "schedule" -> {
                    schedule = chain(setting).map(this::schedule).orElse(schedule);
                    scheduleSpan = setting.span();
                }
                case "augment" -> chain(setting).ifPresent(calls -> calls.forEach(c -> augment(c).ifPresent(augment::add)));
                case "until" -> {
                    until = until(setting);
                    untilSpan = setting.span();
                }
                default -> throw new IllegalStateException(name);
            }
        }
        if (earlyStop != null) checkMetric(earlyStop.monitor(), validation, earlyStopSpan);
        if (until != null) checkMetric(until.metric(), validation, untilSpan);
        warnAboutIneffectiveSettings(epochs, earlyStop, earlyStopSpan, schedule, scheduleSpan);
        if (checkpointSpan != null && checkpointEvery >= epochs && epochs > 1) {
            diagnostics.warning(checkpointSpan, "a checkpoint every " + checkpointEvery + " epochs in a run of " + epochs
                    + " saves only at the end; checkpoint more often (every < " + epochs + ")");
        }
        return new TrainSpec(epochs, batch, shuffle, validation, earlyStop, schedule, List.copyOf(augment), until, seed, checkpointEvery);
    }

    /** Settings that check but can never take effect in a run of {@code epochs} epochs. */
    private void warnAboutIneffectiveSettings(int epochs, EarlyStop earlyStop, Span earlyStopSpan,
                                              ScheduleSpec schedule, Span scheduleSpan) {
        if (earlyStop != null && earlyStop.patience() >= epochs) {
            diagnostics.warning(earlyStopSpan, "a patience of " + earlyStop.patience() + " epochs in a run of " + epochs
                    + " can never stop it early; lower the patience or raise the epochs");
        }
        if (scheduleSpan == null) return;
        if (schedule.warmupEpochs() >= epochs) {
            diagnostics.warning(scheduleSpan, "the warm-up of " + schedule.warmupEpochs() + " epochs lasts the whole run of "
                    + epochs + "; shorten it");
        } else if (schedule.kind().equals("step") && schedule.warmupEpochs() + schedule.every() >= epochs) {
            diagnostics.warning(scheduleSpan, "the first step of the schedule comes after epoch " + epochs
                    + ", the last: the rate never changes; step more often (every < " + (epochs - schedule.warmupEpochs()) + ")");
        }
    }

    private void checkMetric(String metric, double validation, Span span) {
        if (Metrics.needsValidation(metric) && validation == 0) {
            diagnostics.error(span, metric + " needs a validation set; add 'validation 10%' to the train block");
        }
        if (Metrics.needsClasses(metric) && !classes) {
            diagnostics.error(span, metric + " needs a class or binary target; monitor loss for regression");
        }
    }

    /** {@code checkpoint every N}: N epochs. */
    private Optional<Integer> period(Setting setting) {
        if (setting instanceof PeriodSetting p) return Optional.of((int) whole(p.period(), 1));
        diagnostics.error(setting.span(), "write checkpoint every N, with N in epochs, e.g. checkpoint every 5");
        return Optional.empty();
    }

    private Optional<Expr> single(Setting setting) {
        if (setting instanceof ValueSetting v && v.values().size() == 1) return Optional.of(v.values().get(0));
        diagnostics.error(setting.span(), "'" + setting.name().text() + "' takes one value, e.g. "
                + setting.name().text() + " " + example(setting.name().text()));
        return Optional.empty();
    }

    private static String example(String name) {
        return switch (name) {
            case "epochs" -> "20";
            case "batch" -> "32";
            case "shuffle" -> "true";
            case "validation" -> "10%";
            default -> "1";
        };
    }

    private double whole(Expr e, double min) {
        OptionalDouble v = evaluator.integer(e);
        if (v.isPresent() && v.getAsDouble() < min) {
            diagnostics.error(e.span(), "expected a whole number >= " + Signatures.format(min) + ", got "
                    + Signatures.format(v.getAsDouble()));
            return min;
        }
        return v.orElse(min);
    }

    private int batch(Expr e) {
        if (e instanceof Call c && !c.parentheses() && c.name().text().equals("all")) return 0;
        if (e instanceof Call c && !c.parentheses()) {
            diagnostics.error(e.span(), "batch is a number or 'all', got '" + c.name().text() + "'");
            return 32;
        }
        return (int) whole(e, 1);
    }

    private boolean bool(Expr e) {
        if (e instanceof Call c && !c.parentheses() && c.name().text().matches("true|false")) {
            return c.name().text().equals("true");
        }
        diagnostics.error(e.span(), "expected true or false, got " + ConstantEvaluator.describe(e));
        return true;
    }

    private double fraction(Expr e) {
        OptionalDouble v = evaluator.number(e);
        if (v.isPresent() && (v.getAsDouble() < 0 || v.getAsDouble() >= 1)) {
            String got = e instanceof Num n && n.percent() ? n.text() + "%" : Signatures.format(v.getAsDouble());
            diagnostics.error(e.span(), "validation must be in [0%, 100%), got " + got);
            return 0;
        }
        return v.orElse(0);
    }

    private EarlyStop earlyStop(Setting setting) {
        List<Argument> args = setting instanceof CallSetting c ? c.arguments() : List.of();
        if (!(setting instanceof CallSetting)) {
            diagnostics.error(setting.span(), "write early_stop(monitor = val_loss, patience = 5)");
            return null;
        }
        return Signatures.lookup(Category.SETTING, "early_stop")
                .flatMap(s -> arguments.bind(s, args, setting.span(), List.of()))
                .map(b -> new EarlyStop(b.string("monitor"), b.integer("patience"), b.number("min_delta")))
                .orElse(null);
    }

    private Optional<List<Call>> chain(Setting setting) {
        if (setting instanceof ValueSetting v) {
            List<Call> calls = new ArrayList<>();
            for (Expr e : v.values()) {
                if (e instanceof Call c) {
                    calls.add(c);
                } else {
                    diagnostics.error(e.span(), "expected " + (setting.name().text().equals("schedule")
                            ? "a schedule such as step(every = 10, factor = 0.5)" : "an augmentation such as noise(std = 0.1)")
                            + ", got " + ConstantEvaluator.describe(e));
                    return Optional.empty();
                }
            }
            return Optional.of(calls);
        }
        diagnostics.error(setting.span(), "expected a " + setting.name().text() + " after '" + setting.name().text() + "'");
        return Optional.empty();
    }

    private ScheduleSpec schedule(List<Call> chain) {
        int warmup = 0;
        ScheduleSpec result = ScheduleSpec.CONSTANT;
        for (int i = 0; i < chain.size(); i++) {
            Optional<BoundCall> bound = arguments.bind(Category.SCHEDULE, chain.get(i));
            if (bound.isEmpty()) continue;
            BoundCall b = bound.get();
            boolean last = i == chain.size() - 1;
            if (b.name().equals("warmup")) {
                if (last || i > 0) {
                    diagnostics.error(b.span(), "warmup comes first and is followed by a schedule: warmup(epochs = 2) then cosine()");
                } else {
                    warmup = b.integer("epochs");
                }
                continue;
            }
            if (!last) {
                diagnostics.error(chain.get(i + 1).span(), "only warmup(...) can be followed by 'then'");
            }
            result = switch (b.name()) {
                case "constant" -> ScheduleSpec.CONSTANT;
                case "step" -> new ScheduleSpec("step", 0, b.integer("every"), b.number("factor"), 1, 0);
                case "exponential" -> new ScheduleSpec("exponential", 0, 0, 1, b.number("gamma"), 0);
                default -> new ScheduleSpec("cosine", 0, 0, 1, 1, b.number("min_lr"));
            };
        }
        return new ScheduleSpec(result.kind(), warmup, result.every(), result.factor(), result.gamma(), result.minLr());
    }

    private Optional<AugmentSpec> augment(Call call) {
        return arguments.bind(Category.AUGMENT, call).map(b -> switch (b.name()) {
            case "noise" -> new AugmentSpec("noise", b.number("std"), 0, List.of());
            case "shift" -> new AugmentSpec("shift", 0, b.integer("pixels"), List.of(b.integer("height"), b.integer("width")));
            default -> new AugmentSpec("flip", 0, 0, List.of(b.integer("height"), b.integer("width")));
        });
    }

    private StopCondition until(Setting setting) {
        if (!(setting instanceof ConditionSetting c)) {
            diagnostics.error(setting.span(), "until takes a condition, e.g. until loss < 0.01");
            return null;
        }
        if (!(c.left() instanceof Call metric) || metric.parentheses() || !Metrics.NAMES.contains(metric.name().text())) {
            String text = c.left() instanceof Call m ? m.name().text() : "";
            diagnostics.error(c.left().span(), "unknown metric " + ConstantEvaluator.describe(c.left())
                    + Suggestions.closest(text, Metrics.NAMES).map(s -> "; did you mean '" + s + "'?")
                    .orElse("; expected one of " + String.join(", ", Metrics.NAMES)));
            return null;
        }
        OptionalDouble value = evaluator.number(c.right());
        return value.isPresent() ? new StopCondition(metric.name().text(), c.operator(), value.getAsDouble()) : null;
    }

    DataSpec data(DataMember block) {
        SourceSpec train = null;
        SourceSpec test = null;
        for (Source source : block == null ? List.<Source>of() : block.sources()) {
            String role = source.role().text();
            if (!role.equals("train") && !role.equals("test")) {
                diagnostics.error(source.role().span(), "unknown data role '" + role + "'"
                        + Suggestions.closest(role, List.of("train", "test")).map(s -> "; did you mean '" + s + "'?")
                        .orElse("; expected train or test"));
                continue;
            }
            if ((role.equals("train") ? train : test) != null) {
                diagnostics.error(source.role().span(), "the " + role + " data is given twice");
                continue;
            }
            Optional<SourceSpec> spec = arguments.bind(Category.SOURCE, source.call()).flatMap(b -> source(b, role));
            if (spec.isEmpty()) continue;
            if (role.equals("train")) train = spec.get();
            else test = spec.get();
        }
        return new DataSpec(train, test);
    }

    private Optional<SourceSpec> source(BoundCall b, String role) {
        switch (b.name()) {
            case "csv":
                String column = b.string("target").isEmpty() ? targetName : b.string("target");
                return Optional.of(SourceSpec.csv(b.string("path"), column));
            case "idx":
                return Optional.of(SourceSpec.idx(b.string("images"), b.string("labels")));
            default:
                if (role.equals("train")) {
                    diagnostics.error(b.span(), "split(...) takes a part of the training data, so only the test data can be a split");
                    return Optional.empty();
                }
                return Optional.of(SourceSpec.split(b.number("fraction")));
        }
    }
}
