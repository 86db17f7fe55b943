package dev.nnc.runtime.json;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records to JSON and back, by their components: the spec a compiled class carries and
 * the preprocessing a weights file carries are records of strings, numbers, booleans,
 * enums, float arrays, lists and other records.
 */
public final class JsonRecords {
    private JsonRecords() {}

    public static String toJson(Record record) {
        return Json.write(tree(record));
    }

    public static <T extends Record> T fromJson(String json, Class<T> type) {
        return type.cast(bind(Json.parse(json), type));
    }

    /** The JSON tree of a value: records become maps in component order. */
    static Object tree(Object value) {
        if (value instanceof Record record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                try {
                    map.put(c.getName(), tree(c.getAccessor().invoke(record)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c, e);
                }
            }
            return map;
        }
        if (value instanceof Enum<?> e) return e.name();
        if (value instanceof List<?> list) return list.stream().map(JsonRecords::tree).toList();
        return value;
    }

    private static Object bind(Object json, Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (json == null) return null;
            List<Object> list = new ArrayList<>();
            for (Object element : (List<?>) json) list.add(bind(element, p.getActualTypeArguments()[0]));
            return List.copyOf(list);
        }
        Class<?> c = (Class<?>) type;
        if (json == null) {
            if (c.isPrimitive()) throw new IllegalArgumentException("null where a " + c + " belongs");
            return null;
        }
        if (c == String.class) return (String) json;
        if (c == boolean.class || c == Boolean.class) return (Boolean) json;
        if (c == int.class || c == Integer.class) return (int) number(json).asLong();
        if (c == long.class || c == Long.class) return number(json).asLong();
        if (c == double.class || c == Double.class) return number(json).asDouble();
        if (c == float.class || c == Float.class) return number(json).asFloat();
        if (c == float[].class) {
            List<?> list = (List<?>) json;
            float[] a = new float[list.size()];
            for (int i = 0; i < a.length; i++) a[i] = number(list.get(i)).asFloat();
            return a;
        }
        if (c.isEnum()) return enumConstant(c, (String) json);
        if (c.isRecord()) return record(c, (Map<?, ?>) json);
        throw new IllegalArgumentException("no JSON binding for " + c.getName());
    }

    private static Json.Number number(Object json) {
        if (json instanceof Json.Number n) return n;
        throw new IllegalArgumentException("expected a number, found " + json);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> c, String name) {
        return Enum.valueOf((Class) c, name);
    }

    private static Object record(Class<?> c, Map<?, ?> json) {
        RecordComponent[] components = c.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = bind(json.get(components[i].getName()), components[i].getGenericType());
            types[i] = components[i].getType();
        }
        try {
            return c.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot make a " + c.getSimpleName() + " from JSON", e);
        }
    }
}
