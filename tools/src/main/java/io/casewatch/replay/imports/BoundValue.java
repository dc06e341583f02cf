package io.casewatch.replay.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ValueSpec} bound to the columns of one CSV header: evaluates to the field's text for a row (before it
 * is typed), or null for no value.
 */
final class BoundValue {

    record BoundCondition(Condition condition, int index) {
        boolean test(CsvRow row) {
            return condition.test(row.cell(index).strip());
        }
    }

    /** Conditions that must all hold. */
    record BoundConditions(List<BoundCondition> all) {
        boolean test(CsvRow row) {
            for (BoundCondition c : all) {
                if (!c.test(row)) {
                    return false;
                }
            }
            return true;
        }

        String firstColumn() {
            return all.get(0).condition().column();
        }
    }

    private record BoundRule(BoundConditions when, String value) {
    }

    final ValueSpec spec;
    private final int column;
    private final int threadId;
    private final BoundConditions when;
    private final List<BoundRule> rules = new ArrayList<>();

    BoundValue(ValueSpec spec, Header header) {
        this.spec = spec;
        this.column = spec.column() == null ? -1 : header.index(spec.column(), spec.path() + ".column");
        this.threadId = spec.threadRoot() == null ? -1 : header.index(spec.threadRoot().id(), spec.path() + ".threadRoot.id");
        if (spec.threadRoot() != null) {
            header.index(spec.threadRoot().parent(), spec.path() + ".threadRoot.parent");
        }
        this.when = spec.when().isEmpty() ? null : bind(spec.when(), header);
        for (ValueSpec.Rule r : spec.rules()) {
            rules.add(new BoundRule(bind(r.when(), header), r.value()));
        }
    }

    static BoundConditions bind(List<Condition> cs, Header header) {
        List<BoundCondition> out = new ArrayList<>();
        for (Condition c : cs) {
            out.add(new BoundCondition(c, header.index(c.column(), c.path() + ".column")));
        }
        return new BoundConditions(out);
    }

    /** The CSV column this value is read from, to name in a rejection; null for constants. */
    String column() {
        if (spec.column() != null) {
            return spec.column();
        }
        if (spec.threadRoot() != null) {
            return spec.threadRoot().id();
        }
        return rules.isEmpty() ? null : rules.get(0).when().firstColumn();
    }

    /**
     * The value's text, or null when it has none. {@code derived} is the value of a {@code derive} spec, computed
     * by the caller who knows the case id.
     */
    String evaluate(CsvRow row, ThreadRoots threads, String derived) throws RowRejected {
        if (when != null && !when.test(row)) {
            return null;
        }
        String v;
        if (spec.constant() != null) {
            v = spec.constant();
        } else if (column >= 0) {
            v = row.cell(column).strip();
        } else if (threadId >= 0) {
            String id = row.cell(threadId).strip();
            v = id.isEmpty() ? "" : threads.rootOf(id);
        } else {
            v = derived;
        }
        if (v == null || v.isEmpty()) {
            v = spec.defaultValue();
            if (v == null && rules.isEmpty()) {
                return null;
            }
        }
        boolean ruled = false;
        for (BoundRule r : rules) {
            if (r.when().test(row)) {
                v = r.value();
                ruled = true;
                break;
            }
        }
        if (!ruled && spec.map() != null && v != null) {
            String mapped = spec.map().get(v);
            if (mapped != null) {
                v = mapped;
            } else if (spec.unmapped() != null) {
                v = spec.unmapped();
            } else {
                throw new RowRejected(RowRejected.Kind.UNKNOWN_VALUE, column(),
                        "'" + v + "' has no entry in " + spec.path() + ".map and there is no unmapped value");
            }
        } else if (!ruled && !rules.isEmpty()) {
            if (spec.unmapped() != null) {
                v = spec.unmapped();
            } else if (spec.map() == null && (v == null || v.isEmpty())) {
                return null;
            }
        }
        if (v == null || v.isEmpty()) {
            return null;
        }
        return spec.prefix() == null ? v : spec.prefix() + v;
    }
}
