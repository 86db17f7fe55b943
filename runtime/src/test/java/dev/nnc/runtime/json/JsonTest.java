package dev.nnc.runtime.json;

import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.weights.Preprocessor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void parsesWhatItWrites() {
        Map<String, Object> value = Map.of("name", "a \"quoted\" \\ name\n", "list", List.of(1, 2.5, true),
                "nothing", java.util.Collections.emptyMap());
        Object parsed = Json.parse(Json.write(value));
        assertEquals("a \"quoted\" \\ name\n", ((Map<?, ?>) parsed).get("name"));
        assertEquals(List.of(new Json.Number("1"), new Json.Number("2.5"), true), ((Map<?, ?>) parsed).get("list"));
        assertEquals(Json.parse(Json.write(value)), Json.parse(Json.pretty(value)));
    }

    @Test
    void floatsReadBackBitForBit() {
        float[] shift = {0.1f, (float) Math.PI, 1e-30f, -3.4028235e38f, 0f};
        Preprocessor p = new Preprocessor("standard", shift, new float[]{1, 2, 3, 4, 5});
        Preprocessor back = JsonRecords.fromJson(JsonRecords.toJson(p), Preprocessor.class);
        assertArrayEquals(shift, back.shift());
        assertEquals("standard", back.kind());
    }

    @Test
    void nestedRecordsListsAndNulls() {
        TrainSpec spec = new TrainSpec(3, 16, true, 0.2, null, TrainSpec.ScheduleSpec.CONSTANT,
                List.of(new TrainSpec.AugmentSpec("flip", 0, 0, List.of(28, 28, 1))), null, 42, 5);
        assertEquals(spec, JsonRecords.fromJson(JsonRecords.toJson(spec), TrainSpec.class));
    }

    @Test
    void rejectsWhatIsNotJson() {
        for (String bad : List.of("{", "{\"a\" 1}", "[1,]", "\"open", "{} x", "nope")) {
            assertThrows(Json.SyntaxError.class, () -> Json.parse(bad), bad);
        }
    }
}
