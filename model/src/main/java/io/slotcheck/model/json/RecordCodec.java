package io.slotcheck.model.json;

import io.slotcheck.model.Lsn;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the model's records into JSON values and back, by their components: names in snake_case (as PostgreSQL's
 * columns are), LSNs as PostgreSQL prints them, instants in ISO-8601. A record that implements a sealed interface
 * carries its kind as {@code "type"}, e.g. {@code {"type":"create_logical_slot", ...}}.
 */
public final class RecordCodec {

    private RecordCodec() {
    }

    public static Object encode(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Lsn || value instanceof Instant) {
            return value.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(RecordCodec::encode).orElse(null);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RecordCodec::encode).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> encoded = new LinkedHashMap<>();
            map.forEach((k, v) -> encoded.put(String.valueOf(k), encode(v)));
            return encoded;
        }
        if (value instanceof Record record) {
            Map<String, Object> encoded = new LinkedHashMap<>();
            if (sealedParent(record.getClass()) != null) {
                encoded.put("type", typeName(record));
            }
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    encoded.put(snakeCase(component.getName()), encode(component.getAccessor().invoke(record)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
                }
            }
            return encoded;
        }
        throw new IllegalArgumentException("cannot encode " + value.getClass().getName());
    }

    /** The {@code "type"} a record of a sealed interface is written with, e.g. {@code create_logical_slot}. */
    public static String typeName(Object record) {
        return typeNameOf(record.getClass());
    }

    /** The {@code "type"} records of {@code recordClass} are written with. */
    public static String typeNameOf(Class<?> recordClass) {
        return snakeCase(recordClass.getSimpleName());
    }

    /** Decodes {@code json} as {@code type}; a problem is reported with the path of the field, e.g. {@code slots[2].restart_lsn}. */
    public static Object decode(Object json, Type type) {
        return decode(json, type, "");
    }

    private static Object decode(Object json, Type type, String path) {
        try {
            if (type instanceof ParameterizedType parameterized) {
                return decodeGeneric(json, parameterized, path);
            }
            Class<?> target = (Class<?>) type;
            if (json == null) {
                return nullAs(target);
            }
            if (target == String.class) {
                return (String) json;
            }
            if (target == boolean.class || target == Boolean.class) {
                return (Boolean) json;
            }
            if (target == int.class || target == Integer.class) {
                return Math.toIntExact((Long) json);
            }
            if (target == long.class || target == Long.class) {
                return (Long) json;
            }
            if (target == Lsn.class) {
                return leaf(() -> Lsn.parse((String) json));
            }
            if (target == Instant.class) {
                return Instant.parse((String) json);
            }
            if (target.isEnum()) {
                return leaf(() -> enumConstant(target, (String) json));
            }
            if (target.isSealed()) {
                return decodeRecord(asObject(json), permitted(target, (String) asObject(json).get("type")), path);
            }
            if (target.isRecord()) {
                return decodeRecord(asObject(json), target, path);
            }
            throw new IllegalArgumentException("no JSON form for " + target.getName());
        } catch (ClassCastException | ArithmeticException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(where(path) + ": " + describe(json) + " is not a " + typeName(type));
        } catch (LeafException e) {
            throw new IllegalArgumentException(where(path) + ": " + e.getMessage());
        }
    }

    /** A value that is malformed in itself (an LSN that is no LSN): reported with the path of its field. */
    private static final class LeafException extends RuntimeException {
        LeafException(String message) {
            super(message);
        }
    }

    private static Object leaf(java.util.function.Supplier<Object> conversion) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            throw new LeafException(e.getMessage());
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "value" : path;
    }

    /** JSON null as a component: primitives take their zero value. */
    private static Object nullAs(Class<?> target) {
        if (target == boolean.class) {
            return Boolean.FALSE;
        }
        if (target == int.class) {
            return Integer.valueOf(0);
        }
        if (target == long.class) {
            return Long.valueOf(0);
        }
        return null;
    }

    private static Object decodeGeneric(Object json, ParameterizedType type, String path) {
        Class<?> raw = (Class<?>) type.getRawType();
        Type element = type.getActualTypeArguments()[type.getActualTypeArguments().length - 1];
        if (raw == Optional.class) {
            return Optional.ofNullable(decode(json, element, path));
        }
        if (json == null) {
            return raw == List.class ? List.of() : Map.of();
        }
        if (raw == List.class) {
            List<Object> items = new ArrayList<>();
            List<?> list = (List<?>) json;
            for (int i = 0; i < list.size(); i++) {
                items.add(decode(list.get(i), element, path + "[" + i + "]"));
            }
            return items;
        }
        if (raw == Map.class) {
            Map<String, Object> entries = new LinkedHashMap<>();
            asObject(json).forEach((k, v) -> entries.put(k, decode(v, element, path.isEmpty() ? k : path + "." + k)));
            return entries;
        }
        throw new IllegalArgumentException("no JSON form for " + type);
    }

    private static Object decodeRecord(Map<String, Object> json, Class<?> target, String path) {
        RecordComponent[] components = target.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = snakeCase(components[i].getName());
            values[i] = decode(json.get(name), components[i].getGenericType(), path.isEmpty() ? name : path + "." + name);
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = target.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalArgumentException((path.isEmpty() ? target.getSimpleName() : path) + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + target.getName(), e);
        }
    }

    private static Class<?> permitted(Class<?> sealed, String type) {
        for (Class<?> candidate : sealed.getPermittedSubclasses()) {
            if (typeNameOf(candidate).equals(type)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("unknown " + typeNameOf(sealed) + " type '" + type + "'");
    }

    private static Class<?> sealedParent(Class<?> record) {
        for (Class<?> parent : record.getInterfaces()) {
            if (parent.isSealed()) {
                return parent;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object json) {
        return (Map<String, Object>) json;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class<? extends Enum>) type, name.toUpperCase(Locale.ROOT));
    }

    static String snakeCase(String camelCase) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String describe(Object json) {
        return json instanceof String s ? "\"" + s + "\"" : String.valueOf(json);
    }

    private static String typeName(Type type) {
        return type instanceof Class<?> c ? c.getSimpleName() : type.getTypeName();
    }
}
