/* Optional C kernels for the columnar rules (fiscalrules.columnar.kernel is their only user).
 *
 * Each kernel is one pass over a chunk's rows where the numpy code it replaces makes several
 * (and materialises a temporary per pass): the classification parents of a table's rows, their
 * children grouped by parent, and the row a (record, code) lookup finds.  The numpy code stays
 * beside every kernel and gives the same arrays (tests/test_columnar_plan_kernel.py compares them);
 * it runs where this module is not built, when FISCALRULES_PURE_PYTHON is set, or when
 * kernel.py says so.
 *
 * Arrays come in through the buffer protocol (no numpy headers at build time): C-contiguous
 * int64 buffers, and int8 or bool ones for outcomes, statuses and masks, checked here -- element
 * types, int64 buffers aligned (read through int64_t *), lengths, every index read from an array
 * before it indexes another, and that no output shares memory with another argument (a check
 * made on an input it then overwrites would not hold) -- so that a wrong call raises ValueError
 * instead of reading past a buffer.  The kernels
 * hold the GIL throughout (the engine's parallelism is processes, not threads).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ABI_VERSION 11

#ifndef SOURCE_CRC
#define SOURCE_CRC 0UL
#endif

/* The loops of a few kernels (comparisons of int64 columns) built twice on x86-64 Linux with GCC:
 * for AVX2 and for the baseline (SSE2, which has no 64-bit compare: each element compared alone),
 * the one the CPU runs chosen when the module loads (an ifunc).  The same source, so the same
 * outcomes; elsewhere built once, for the baseline. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define WIDE_LOOPS __attribute__((target_clones("avx2", "default")))
#else
#define WIDE_LOOPS
#endif

typedef struct {
    Py_buffer view;
    int64_t *data;
    Py_ssize_t n;
} Ints;

static int
ints_get(PyObject *obj, Ints *out, int writable, const char *name)
{
    out->data = NULL;
    out->n = 0;
    if (PyObject_GetBuffer(obj, &out->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT |
                           (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (out->view.itemsize != 8 || out->view.format == NULL ||
        (strcmp(out->view.format, "l") != 0 && strcmp(out->view.format, "q") != 0 &&
         strcmp(out->view.format, "<q") != 0 && strcmp(out->view.format, "<l") != 0 &&
         strcmp(out->view.format, "=q") != 0 && strcmp(out->view.format, "=l") != 0)) {
        PyErr_Format(PyExc_ValueError, "%s: an int64 array is needed", name);
        PyBuffer_Release(&out->view);
        return -1;
    }
    if ((uintptr_t)out->view.buf % _Alignof(int64_t) != 0) {   /* (read through int64_t *: UB) */
        PyErr_Format(PyExc_ValueError, "%s: an aligned int64 array is needed", name);
        PyBuffer_Release(&out->view);
        return -1;
    }
    out->data = (int64_t *)out->view.buf;
    out->n = out->view.len / 8;
    return 0;
}

static void
ints_release(Ints *a, int count)
{
    for (int i = 0; i < count; i++)
        if (a[i].data != NULL)
            PyBuffer_Release(&a[i].view);
}

/* Whether two buffers share a byte (an output must not be another argument: the kernels check
 * an input once, then rely on it while they write their outputs). */
static int
overlapping(const Py_buffer *x, const Py_buffer *y)
{
    const char *xs = (const char *)x->buf, *ys = (const char *)y->buf;
    return x->len > 0 && y->len > 0 && xs < ys + y->len && ys < xs + x->len;
}

/* Get *count* buffers from *args* (the first *writable* of them read-only, the rest writable). */
static int
ints_args(PyObject *args, Ints *a, int count, int first_writable, const char **names)
{
    if (!PyTuple_Check(args) || PyTuple_GET_SIZE(args) != count) {
        PyErr_Format(PyExc_TypeError, "%d arrays expected", count);
        return -1;
    }
    for (int i = 0; i < count; i++)
        a[i].data = NULL;
    for (int i = 0; i < count; i++) {
        if (ints_get(PyTuple_GET_ITEM(args, i), &a[i], i >= first_writable, names[i]) < 0) {
            ints_release(a, count);
            return -1;
        }
    }
    for (int i = first_writable; i < count; i++)
        for (int j = 0; j < count; j++)
            if (j != i && overlapping(&a[i].view, &a[j].view)) {
                PyErr_Format(PyExc_ValueError, "%s shares memory with %s", names[i], names[j]);
                ints_release(a, count);
                return -1;
            }
    return 0;
}

static PyObject *
out_of_range(Ints *a, int count, const char *what)
{
    ints_release(a, count);
    PyErr_Format(PyExc_ValueError, "%s out of range", what);
    return NULL;
}

static int bytes_get(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t n, const char *name,
                     const char *type);

typedef struct {
    int64_t rank, row;
} Ranked;

static int
by_rank(const void *a, const void *b)
{
    const Ranked *x = (const Ranked *)a, *y = (const Ranked *)b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->row < y->row ? -1 : (x->row > y->row);
}

/* parents(rows, code, rec, length, p3, p5, rank, parent_of) -> None.
 *
 * rows: the coded rows, in increasing order (positions into code/rec; rec is non-decreasing);
 * code, rec: per row; length, p3, p5, rank: per code id (p3/p5: the id of the code's first 3/5
 * characters, or -1; rank: the code's place in the lexicographic order); parent_of: per row,
 * written: the parent row or -1.
 *
 * The rows are walked in the lexicographic order of their codes within each record (a record's
 * rows listed out of that order are sorted by code first, ties in row order: a stable sort).  A
 * row's parent is then the last code of 5 characters at or before it in the walk, of its record,
 * when that code is the row's 5-character prefix, else the same with 3 characters. */
static PyObject *
k_parents(PyObject *self, PyObject *args)
{
    static const char *names[] = {"rows", "code", "rec", "length", "p3", "p5", "rank", "parent_of"};
    Ints a[8];
    if (ints_args(args, a, 8, 7, names) < 0)
        return NULL;
    const int64_t *rows = a[0].data, *code = a[1].data, *rec = a[2].data, *length = a[3].data;
    const int64_t *p3 = a[4].data, *p5 = a[5].data, *rank = a[6].data;
    int64_t *parent_of = a[7].data;
    Py_ssize_t k = a[0].n, m = a[1].n, ids = a[3].n;
    if (a[2].n != m || a[7].n != m || a[6].n < ids)
        return out_of_range(a, 8, "array lengths");
    if (a[4].n < ids) ids = a[4].n;
    if (a[5].n < ids) ids = a[5].n;
    /* every index checked once, and whether the walk must be reordered */
    int ordered = 1;
    for (Py_ssize_t i = 0; i < k; i++) {
        int64_t r = rows[i];
        if (r < 0 || r >= m || (i && r <= rows[i - 1]))
            return out_of_range(a, 8, "a row");
        if (code[r] < 0 || code[r] >= ids)
            return out_of_range(a, 8, "a code id");
        if (i && rec[rows[i - 1]] > rec[r])
            return out_of_range(a, 8, "a record (rows not by record)");
        if (i && rec[rows[i - 1]] == rec[r] && rank[code[rows[i - 1]]] > rank[code[r]])
            ordered = 0;
    }
    const int64_t *walk = rows;
    int64_t *sorted = NULL;
    if (!ordered) {
        sorted = (int64_t *)PyMem_Malloc((size_t)(k ? k : 1) * sizeof(int64_t));
        if (sorted == NULL) {
            ints_release(a, 8);
            return PyErr_NoMemory();
        }
        memcpy(sorted, rows, (size_t)k * sizeof(int64_t));
        Ranked *scratch = NULL;
        Py_ssize_t room = 0;
        for (Py_ssize_t lo = 0, hi; lo < k; lo = hi) {     /* each record's run of rows */
            int in_order = 1;
            for (hi = lo + 1; hi < k && rec[rows[hi]] == rec[rows[lo]]; hi++)
                if (rank[code[rows[hi - 1]]] > rank[code[rows[hi]]])
                    in_order = 0;
            if (in_order)
                continue;
            if (hi - lo > room) {
                PyMem_Free(scratch);
                room = hi - lo;
                scratch = (Ranked *)PyMem_Malloc((size_t)room * sizeof(Ranked));
                if (scratch == NULL) {
                    PyMem_Free(sorted);
                    ints_release(a, 8);
                    return PyErr_NoMemory();
                }
            }
            for (Py_ssize_t i = lo; i < hi; i++) {
                scratch[i - lo].rank = rank[code[rows[i]]];
                scratch[i - lo].row = rows[i];
            }
            qsort(scratch, (size_t)(hi - lo), sizeof(Ranked), by_rank);
            for (Py_ssize_t i = lo; i < hi; i++)
                sorted[i] = scratch[i - lo].row;
        }
        PyMem_Free(scratch);
        walk = sorted;
    }
    for (Py_ssize_t i = 0; i < m; i++)
        parent_of[i] = -1;
    int64_t last3 = -1, last5 = -1;   /* rows, not positions */
    for (Py_ssize_t i = 0; i < k; i++) {
        int64_t r = walk[i], c = code[r];
        int64_t size = length[c];
        if (size == 3)
            last3 = r;
        else if (size == 5)
            last5 = r;
        int64_t p = p5[c];
        if (p >= 0 && last5 >= 0 && code[last5] == p && rec[last5] == rec[r]) {
            parent_of[r] = last5;
            continue;
        }
        p = p3[c];
        if (p >= 0 && last3 >= 0 && code[last3] == p && rec[last3] == rec[r])
            parent_of[r] = last3;
    }
    PyMem_Free(sorted);
    ints_release(a, 8);
    Py_RETURN_NONE;
}

/* group(parent_of, grouped, starts, counts) -> the number of child rows.
 * The rows with a parent (parent_of[r] >= 0), grouped by parent and in row order within each
 * group (what a stable sort by parent gives), into *grouped*; each row's count of children and
 * the start of its group, into *counts* and *starts*.  A counting sort: two passes. */
static PyObject *
k_group(PyObject *self, PyObject *args)
{
    static const char *names[] = {"parent_of", "grouped", "starts", "counts"};
    Ints a[4];
    if (ints_args(args, a, 4, 1, names) < 0)
        return NULL;
    const int64_t *parent_of = a[0].data;
    int64_t *grouped = a[1].data, *starts = a[2].data, *counts = a[3].data;
    Py_ssize_t m = a[0].n;
    if (a[2].n != m || a[3].n != m)
        return out_of_range(a, 4, "array lengths");
    memset(counts, 0, (size_t)m * sizeof(int64_t));
    Py_ssize_t total = 0;
    for (Py_ssize_t r = 0; r < m; r++) {
        int64_t p = parent_of[r];
        if (p < 0)
            continue;
        if (p >= m)
            return out_of_range(a, 4, "a parent row");
        counts[p]++;
        total++;
    }
    if (a[1].n < total)
        return out_of_range(a, 4, "grouped's length");
    int64_t at = 0;
    for (Py_ssize_t r = 0; r < m; r++) {
        starts[r] = at;
        at += counts[r];
    }
    /* each group filled from its start: starts[] is used as the cursor and put back after */
    for (Py_ssize_t r = 0; r < m; r++) {
        int64_t p = parent_of[r];
        if (p >= 0)
            grouped[starts[p]++] = r;
    }
    for (Py_ssize_t r = 0; r < m; r++)
        starts[r] -= counts[r];
    ints_release(a, 4);
    return PyLong_FromSsize_t(total);
}

/* find(keys, order, starts, recs, codes, wide, out): per query i, the row (order[j]) of the last
 * j with keys[j] == recs[i] * wide + codes[i], or -1 -- searched only among record recs[i]'s
 * entries, keys[starts[r]:starts[r + 1]] (keys sorted; every row of a record in its range). */
static PyObject *
k_find(PyObject *self, PyObject *args)
{
    static const char *names[] = {"keys", "order", "starts", "recs", "codes", "out"};
    PyObject *arrays[6];
    long long wide;
    if (!PyArg_ParseTuple(args, "OOOOOLO", &arrays[0], &arrays[1], &arrays[2], &arrays[3], &arrays[4], &wide,
                          &arrays[5]))
        return NULL;
    PyObject *tuple = PyTuple_Pack(6, arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], arrays[5]);
    if (tuple == NULL)
        return NULL;
    Ints a[6];
    int got = ints_args(tuple, a, 6, 5, names);
    Py_DECREF(tuple);
    if (got < 0)
        return NULL;
    const int64_t *keys = a[0].data, *order = a[1].data, *starts = a[2].data, *recs = a[3].data;
    const int64_t *codes = a[4].data;
    int64_t *out = a[5].data;
    Py_ssize_t m = a[0].n, n = a[2].n - 1, q = a[3].n;
    if (a[1].n != m || n < 0 || a[4].n != q || a[5].n != q || wide <= 0)
        return out_of_range(a, 6, "array lengths");
    for (Py_ssize_t i = 0; i < q; i++) {
        int64_t r = recs[i];
        if (r < 0 || r >= n)
            return out_of_range(a, 6, "a record");
        int64_t lo = starts[r], hi = starts[r + 1];
        if (lo < 0 || hi > m || lo > hi)
            return out_of_range(a, 6, "a record's rows");
        int64_t want = (int64_t)((uint64_t)r * (uint64_t)wide + (uint64_t)codes[i]);
        /* the first entry > want, in [lo, hi) */
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (keys[mid] <= want)
                lo = mid + 1;
            else
                hi = mid;
        }
        int64_t j = lo - 1;
        if (j >= starts[r] && keys[j] == want) {
            int64_t row = order[j];
            out[i] = row;
        } else {
            out[i] = -1;
        }
    }
    ints_release(a, 6);
    Py_RETURN_NONE;
}

/* segment_sums(values, starts, out): out[i] = the sum of values[starts[i]:starts[i + 1]], in
 * int64 arithmetic that wraps around (as numpy's cumsum does: every group's sum is below the
 * engine's LIMIT, so the wrapped sum is the sum). */
static PyObject *
k_segment_sums(PyObject *self, PyObject *args)
{
    static const char *names[] = {"values", "starts", "out"};
    Ints a[3];
    if (ints_args(args, a, 3, 2, names) < 0)
        return NULL;
    const int64_t *values = a[0].data, *starts = a[1].data;
    int64_t *out = a[2].data;
    Py_ssize_t m = a[0].n, groups = a[1].n - 1;
    if (groups < 0 || a[2].n != groups)
        return out_of_range(a, 3, "array lengths");
    for (Py_ssize_t i = 0; i < groups; i++) {
        int64_t lo = starts[i], hi = starts[i + 1];
        if (lo < 0 || hi > m || lo > hi)
            return out_of_range(a, 3, "a group's items");
        uint64_t sum = 0;
        for (int64_t j = lo; j < hi; j++)
            sum += (uint64_t)values[j];
        out[i] = (int64_t)sum;
    }
    ints_release(a, 3);
    Py_RETURN_NONE;
}

/* kept_sums(values, keep, starts, out): out[i] = the sum of values[j] for the j in
 * [starts[i], starts[i + 1]) where keep[j] -- or, values None, how many such j there are: a sum or
 * count of a comprehension's elements at the rows its filter keeps, read in place (no list of the
 * kept rows made).  int64 arithmetic wrapping as segment_sums' (every group's sum is below the
 * engine's LIMIT); keep is a bool buffer of the values' length (or the length starts[-1] reaches,
 * values None). */
static PyObject *
k_kept_sums(PyObject *self, PyObject *args)
{
    PyObject *values_obj, *keep_obj, *starts_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "OOOO", &values_obj, &keep_obj, &starts_obj, &out_obj))
        return NULL;
    static const char *names[] = {"values", "starts", "out"};
    Ints a[3];
    for (int j = 0; j < 3; j++)
        a[j].data = NULL;
    Py_buffer keep_view;
    keep_view.buf = NULL;
    PyObject *result = NULL;
    PyObject *objs[3] = {values_obj, starts_obj, out_obj};
    for (int j = 0; j < 3; j++) {
        if (j == 0 && values_obj == Py_None)
            continue;
        if (ints_get(objs[j], &a[j], j == 2, names[j]) < 0)
            goto done;
    }
    if (bytes_get(keep_obj, &keep_view, 0, a[0].data != NULL ? a[0].n : -1, "keep", "?") < 0)
        goto done;
    if (keep_view.buf == NULL) {
        PyErr_SetString(PyExc_TypeError, "keep: an array is needed");
        goto done;
    }
    for (int j = 0; j < 2; j++)
        if (a[j].data != NULL && overlapping(&a[2].view, &a[j].view)) {
            PyErr_Format(PyExc_ValueError, "out shares memory with %s", names[j]);
            goto done;
        }
    if (overlapping(&a[2].view, &keep_view)) {
        PyErr_SetString(PyExc_ValueError, "out shares memory with keep");
        goto done;
    }
    {
        const int64_t *values = a[0].data, *starts = a[1].data;
        const uint8_t *keep = (const uint8_t *)keep_view.buf;
        int64_t *out = a[2].data;
        Py_ssize_t m = keep_view.len, groups = a[1].n - 1;
        if (groups < 0 || a[2].n != groups) {
            PyErr_SetString(PyExc_ValueError, "array lengths out of range");
            goto done;
        }
        for (Py_ssize_t i = 0; i < groups; i++) {
            int64_t lo = starts[i], hi = starts[i + 1];
            if (lo < 0 || hi > m || lo > hi) {
                PyErr_SetString(PyExc_ValueError, "a group's items out of range");
                goto done;
            }
            uint64_t sum = 0;
            if (values != NULL)
                for (int64_t j = lo; j < hi; j++)
                    sum += keep[j] ? (uint64_t)values[j] : 0;
            else
                for (int64_t j = lo; j < hi; j++)
                    sum += keep[j] != 0;
            out[i] = (int64_t)sum;
        }
        Py_INCREF(Py_None);
        result = Py_None;
    }
done:
    ints_release(a, 3);
    if (keep_view.buf != NULL)
        PyBuffer_Release(&keep_view);
    return result;
}

/* The int8 outcome buffer *out* of a comparison kernel, its operator *op* (0..5) checked. */
static int
outcome_get(int op, PyObject *out_obj, Py_buffer *out)
{
    if (op < 0 || op > 5) {
        PyErr_SetString(PyExc_ValueError, "an operator out of range");
        return -1;
    }
    if (bytes_get(out_obj, out, 1, -1, "out", "b") < 0)
        return -1;
    if (out->buf == NULL) {
        PyErr_SetString(PyExc_ValueError, "out: an array of int8 is needed");
        return -1;
    }
    return 0;
}

/* An operand of a comparison kernel that may be a constant: an int (into *scalar; vec->data
 * NULL) or an int64 array of n elements (into *vec, released by the caller) sharing no memory
 * with *out* (written while the operands are read). */
static int
operand_get(PyObject *obj, Ints *vec, int64_t *scalar, Py_ssize_t n, const Py_buffer *out, const char *name)
{
    vec->data = NULL;
    if (PyLong_Check(obj)) {
        *scalar = PyLong_AsLongLong(obj);
        return *scalar == -1 && PyErr_Occurred() ? -1 : 0;
    }
    if (ints_get(obj, vec, 0, name) < 0)
        return -1;
    if (vec->n != n) {
        PyErr_SetString(PyExc_ValueError, "array lengths out of range");
        return -1;
    }
    if (overlapping(out, &vec->view)) {
        PyErr_Format(PyExc_ValueError, "out shares memory with %s", name);
        return -1;
    }
    return 0;
}

/* decide(op, a, b, low, high, out): the outcome of `a op b` per row for symmetric intervals
 * (arith.decide's first branch): 0 EXACT, 1 ROUNDING, 2 FAIL -- the number of the two tests
 * failed, the point test on a - b and the wide test on a - b against the reach (low: the reach
 * rounded down, high: rounded up).  a, b, low and high are each an int64 buffer of len(out) or a
 * Python int; out is an int8 buffer.  op: 0 '=', 1 '!=', 2 '<', 3 '<=', 4 '>', 5 '>='.  Nothing
 * can overflow: the caller has checked the bounds of the sides and the reach (below 2**62). */
WIDE_LOOPS static PyObject *
k_decide(PyObject *self, PyObject *args)
{
    int op;
    PyObject *objs[4], *out_obj;
    if (!PyArg_ParseTuple(args, "iOOOOO", &op, &objs[0], &objs[1], &objs[2], &objs[3], &out_obj))
        return NULL;
    Py_buffer out;
    if (outcome_get(op, out_obj, &out) < 0)
        return NULL;
    Py_ssize_t n = out.len;
    int8_t *restrict o = (int8_t *)out.buf;   /* (restrict: an int8 store may alias nothing read) */
    static const char *names[] = {"a", "b", "low", "high"};
    Ints vals[4];
    int64_t scalar[4] = {0, 0, 0, 0};
    const int64_t *vec[4] = {NULL, NULL, NULL, NULL};
    for (int s = 0; s < 4; s++)
        vals[s].data = NULL;
    for (int s = 0; s < 4; s++) {
        if (operand_get(objs[s], &vals[s], &scalar[s], n, &out, names[s]) < 0)
            goto fail;
        vec[s] = vals[s].data;
    }
    /* one loop per operator and per common shape (vectors, or scalars held in registers), so
     * that the compiler can vectorise it; any other shape reads scalars as arrays of stride 0 */
    const int64_t *restrict A = vec[0] ? vec[0] : &scalar[0], *restrict B = vec[1] ? vec[1] : &scalar[1];
    const int64_t *restrict LO = vec[2] ? vec[2] : &scalar[2], *restrict HI = vec[3] ? vec[3] : &scalar[3];
    Py_ssize_t sa = vec[0] != NULL, sb = vec[1] != NULL, sl = vec[2] != NULL, sh = vec[3] != NULL;
    const int64_t a0 = scalar[0], b0 = scalar[1], lo0 = scalar[2], hi0 = scalar[3];
#define EACH(AX, BX, LX, HX, OUTCOME) \
    for (Py_ssize_t i = 0; i < n; i++) { \
        int64_t d = (AX) - (BX), low = (LX), high = (HX); \
        (void)low; (void)high; \
        o[i] = (int8_t)(OUTCOME); \
    }
#define OPS(AX, BX, LX, HX) \
    switch (op) { \
    case 0: EACH(AX, BX, LX, HX, ((d < 0 ? -d : d) != 0) + ((d < 0 ? -d : d) > low)); break; \
    case 1: EACH(AX, BX, LX, HX, 2 * (d == 0)); break; \
    case 2: EACH(AX, BX, LX, HX, (d >= 0) + (d >= high)); break; \
    case 3: EACH(AX, BX, LX, HX, (d > 0) + (d > low)); break; \
    case 4: EACH(AX, BX, LX, HX, (d <= 0) + (d <= -high)); break; \
    default: EACH(AX, BX, LX, HX, (d < 0) + (d < -low)); break; \
    }
    if (sa && sb && !sl && !sh)
        OPS(A[i], B[i], lo0, hi0)
    else if (sa && !sb && !sl && !sh)
        OPS(A[i], b0, lo0, hi0)
    else if (!sa && sb && !sl && !sh)
        OPS(a0, B[i], lo0, hi0)
    else if (sa && sb && sl && sh)
        OPS(A[i], B[i], LO[i], HI[i])
    else
        OPS(A[i * sa], B[i * sb], LO[i * sl], HI[i * sh])
#undef OPS
#undef EACH
    ints_release(vals, 4);
    PyBuffer_Release(&out);
    Py_RETURN_NONE;
fail:
    ints_release(vals, 4);
    PyBuffer_Release(&out);
    return NULL;
}

/* A byte buffer of exactly n bytes (any n where n < 0) whose elements are of *type* ("b" int8,
 * "?" bool), or None (data NULL). */
static int
bytes_get(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t n, const char *name, const char *type)
{
    view->buf = NULL;
    if (obj == Py_None)
        return 0;
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (view->itemsize != 1 || view->format == NULL || strcmp(view->format, type) != 0) {
        PyErr_Format(PyExc_ValueError, "%s: an array of %s is needed", name, type[0] == '?' ? "bool" : "int8");
        PyBuffer_Release(view);
        view->buf = NULL;
        return -1;
    }
    if (n >= 0 && view->len != n) {
        PyErr_Format(PyExc_ValueError, "%s: array lengths out of range", name);
        PyBuffer_Release(view);
        view->buf = NULL;
        return -1;
    }
    return 0;
}

/* statuses(out, miss, err, closing, result[, closed]) -> the number of elements left open (-1).
 * The status code of every element of a condition (out: 0 EXACT, 1 ROUNDING, 2 FAIL; miss, err:
 * bool masks or None), into result (int8): not closing -- a rule's assertion: the outcome (0
 * pass, 1 pass_rounding, 2 fail), 4 not_evaluable where missing, 5 error where in error;
 * closing -- a rule's `when`: -1 where the assertion runs, 3 not_applicable where it fails, 4
 * and 5 likewise.  An error wins.  closed (int8, or None): the records a `when` closed already
 * (its statuses, -1 where open) keep their status -- an assertion's statuses and its `when`'s
 * put together in the same pass. */
static PyObject *
k_statuses(PyObject *self, PyObject *args)
{
    PyObject *out_obj, *miss_obj, *err_obj, *result_obj, *closed_obj = Py_None;
    int closing;
    if (!PyArg_ParseTuple(args, "OOOpO|O", &out_obj, &miss_obj, &err_obj, &closing, &result_obj, &closed_obj))
        return NULL;
    Py_buffer v[5];
    for (int j = 0; j < 5; j++)
        v[j].buf = NULL;
    PyObject *result = NULL;
    if (bytes_get(result_obj, &v[3], 1, -1, "result", "b") < 0)
        return NULL;
    if (v[3].buf == NULL) {
        PyErr_SetString(PyExc_TypeError, "a result array is needed");
        return NULL;
    }
    Py_ssize_t n = v[3].len;
    PyObject *objs[5] = {out_obj, miss_obj, err_obj, NULL, closed_obj};
    static const char *names[] = {"out", "miss", "err", "result", "closed"};
    for (int i = 0; i < 5; i++) {
        if (i == 3)
            continue;
        if (bytes_get(objs[i], &v[i], 0, n, names[i], i == 0 || i == 4 ? "b" : "?") < 0)
            goto done;
        if (i == 0 && v[0].buf == NULL) {
            PyErr_SetString(PyExc_TypeError, "an outcome array is needed");
            goto done;
        }
        if (v[i].buf != NULL && overlapping(&v[3], &v[i])) {
            PyErr_Format(PyExc_ValueError, "result shares memory with %s", names[i]);
            goto done;
        }
    }
    {
        const int8_t *restrict o = (const int8_t *)v[0].buf, *restrict closed = (const int8_t *)v[4].buf;
        const uint8_t *restrict miss = (const uint8_t *)v[1].buf, *restrict err = (const uint8_t *)v[2].buf;
        int8_t *restrict r = (int8_t *)v[3].buf;
        Py_ssize_t open = 0;
        if (closing) {
            for (Py_ssize_t i = 0; i < n; i++)
                r[i] = (int8_t)(o[i] == 2 ? 3 : -1);
        } else {
            memcpy(r, o, (size_t)n);
        }
        if (miss != NULL)
            for (Py_ssize_t i = 0; i < n; i++)
                if (miss[i])
                    r[i] = 4;
        if (err != NULL)
            for (Py_ssize_t i = 0; i < n; i++)
                if (err[i])
                    r[i] = 5;
        if (closed != NULL)
            for (Py_ssize_t i = 0; i < n; i++)
                r[i] = closed[i] >= 0 ? closed[i] : r[i];
        if (closing)
            for (Py_ssize_t i = 0; i < n; i++)
                open += r[i] < 0;
        result = PyLong_FromSsize_t(open);
    }
done:
    for (int j = 0; j < 5; j++)
        if (v[j].buf != NULL)
            PyBuffer_Release(&v[j]);
    return result;
}

/* row_findings(owners, items, single, codes, tally, keep) -> the number of findings kept.
 * A per-row rule's findings over a chunk: owners (int64: the record of each row's finding) and
 * items (int8: its status, 0..5); single (int8 per record: the status of a record closed before
 * any row was read, else -1), updated: a record left open without a finding becomes
 * not_applicable (3).  Written: codes (int8 per record: its single status, else its worst
 * finding -- error, fail, not_evaluable, pass_rounding, not_applicable, pass from worst to
 * best), tally (int64[6]: the findings kept by status), keep (bool per finding: its record was
 * not closed). */
static PyObject *
k_row_findings(PyObject *self, PyObject *args)
{
    PyObject *owners_obj, *items_obj, *single_obj, *codes_obj, *tally_obj, *keep_obj;
    if (!PyArg_ParseTuple(args, "OOOOOO", &owners_obj, &items_obj, &single_obj, &codes_obj, &tally_obj, &keep_obj))
        return NULL;
    static const int rank[6] = {5, 3, 1, 4, 2, 0};      /* STATUS_RANK: lower is worse */
    Ints ints[2];
    ints[0].data = ints[1].data = NULL;
    Py_buffer v[4];
    for (int j = 0; j < 4; j++)
        v[j].buf = NULL;
    PyObject *result = NULL;
    if (ints_get(owners_obj, &ints[0], 0, "owners") < 0 || ints_get(tally_obj, &ints[1], 1, "tally") < 0)
        goto done;
    Py_ssize_t m = ints[0].n;
    if (bytes_get(single_obj, &v[0], 1, -1, "single", "b") < 0 || v[0].buf == NULL)
        goto missing;
    Py_ssize_t n = v[0].len;
    if (bytes_get(items_obj, &v[1], 0, m, "items", "b") < 0 || v[1].buf == NULL ||
        bytes_get(codes_obj, &v[2], 1, n, "codes", "b") < 0 || v[2].buf == NULL ||
        bytes_get(keep_obj, &v[3], 1, m, "keep", "?") < 0 || v[3].buf == NULL)
        goto missing;
    if (ints[1].n != 6) {
        PyErr_SetString(PyExc_ValueError, "tally: array lengths out of range");
        goto done;
    }
    {   /* the outputs (single is read, then written) share memory with no other argument */
        static const char *names[] = {"owners", "items", "single", "codes", "tally", "keep"};
        const Py_buffer *views[6] = {&ints[0].view, &v[1], &v[0], &v[2], &ints[1].view, &v[3]};
        for (int j = 2; j < 6; j++)
            for (int i = 0; i < 6; i++)
                if (i != j && overlapping(views[j], views[i])) {
                    PyErr_Format(PyExc_ValueError, "%s shares memory with %s", names[j], names[i]);
                    goto done;
                }
    }
    const int64_t *owners = ints[0].data;
    int64_t *tally = ints[1].data;
    const int8_t *items = (const int8_t *)v[1].buf;
    int8_t *single = (int8_t *)v[0].buf, *codes = (int8_t *)v[2].buf;
    uint8_t *keep = (uint8_t *)v[3].buf;
    for (int s = 0; s < 6; s++)
        tally[s] = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        codes[i] = single[i] >= 0 ? single[i] : -2;       /* -2: open, no finding yet */
    Py_ssize_t kept = 0;
    for (Py_ssize_t k = 0; k < m; k++) {
        int64_t o = owners[k];
        int c = items[k];
        if (o < 0 || o >= n || c < 0 || c > 5) {
            PyErr_SetString(PyExc_ValueError, "a finding's record or status out of range");
            goto done;
        }
        if (single[o] >= 0) {
            keep[k] = 0;
            continue;
        }
        keep[k] = 1;
        kept++;
        tally[c]++;
        if (codes[o] == -2 || rank[c] < rank[codes[o]])
            codes[o] = (int8_t)c;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (codes[i] == -2)
            codes[i] = single[i] = 3;
    result = PyLong_FromSsize_t(kept);
    goto done;
missing:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "arrays are needed");
done:
    ints_release(ints, 2);
    for (int j = 0; j < 4; j++)
        if (v[j].buf != NULL)
            PyBuffer_Release(&v[j]);
    return result;
}

/* logic(op, a_out, a_miss, a_err, b_out, b_miss, b_err, out, miss, err) -> flags.
 * `a and b` (op 0), `a or b` (1), `if a then b` (2) over two conditions, as logic.py's numpy
 * code (and the per-record closures of fiscalrules.compiler) combine them: outcomes (int8: 0
 * EXACT, 1 ROUNDING, 2 FAIL) and the missing and error masks (bool, or None: none) of each side;
 * written: the outcome and both masks of the result (every element).  flags: 1 when some element
 * is missing, 2 when some is in error (the caller keeps a mask only then).
 *   and:     a side that fails decides; a missing a is forgiven by b failing
 *   or:      an exact a decides; a missing a is forgiven by b holding
 *   implies: a false a holds; a missing a is forgiven by b holding */
static PyObject *
k_logic(PyObject *self, PyObject *args)
{
    int op;
    PyObject *objs[9];
    if (!PyArg_ParseTuple(args, "iOOOOOOOOO", &op, &objs[0], &objs[1], &objs[2], &objs[3], &objs[4], &objs[5],
                          &objs[6], &objs[7], &objs[8]))
        return NULL;
    if (op < 0 || op > 2) {
        PyErr_SetString(PyExc_ValueError, "an operator out of range");
        return NULL;
    }
    static const char *names[] = {"a_out", "a_miss", "a_err", "b_out", "b_miss", "b_err", "out", "miss", "err"};
    Py_buffer v[9];
    for (int j = 0; j < 9; j++)
        v[j].buf = NULL;
    PyObject *result = NULL;
    /* the result's outcome first: its length is every other buffer's */
    if (bytes_get(objs[6], &v[6], 1, -1, names[6], "b") < 0)
        goto done;
    if (v[6].buf == NULL) {
        PyErr_SetString(PyExc_TypeError, "out: an array is needed");
        goto done;
    }
    Py_ssize_t n = v[6].len;
    for (int j = 0; j < 9; j++) {
        if (j == 6)
            continue;
        if (bytes_get(objs[j], &v[j], j > 6, n, names[j], j == 0 || j == 3 ? "b" : "?") < 0)
            goto done;
        if (v[j].buf == NULL && (j == 0 || j == 3 || j > 6)) {
            PyErr_Format(PyExc_TypeError, "%s: an array is needed", names[j]);
            goto done;
        }
    }
    for (int j = 6; j < 9; j++)   /* (the outputs: written while the inputs are read) */
        for (int i = 0; i < 9; i++)
            if (i != j && v[i].buf != NULL && overlapping(&v[j], &v[i])) {
                PyErr_Format(PyExc_ValueError, "%s shares memory with %s", names[j], names[i]);
                goto done;
            }
    {
        /* a mask not given reads as zeros (one buffer for all of them): the loops below are then
         * the same byte arithmetic on every element, which the compiler vectorises */
        uint8_t *zeros = NULL;
        if (v[1].buf == NULL || v[2].buf == NULL || v[4].buf == NULL || v[5].buf == NULL) {
            zeros = (uint8_t *)PyMem_Calloc((size_t)(n ? n : 1), 1);
            if (zeros == NULL) {
                PyErr_NoMemory();
                goto done;
            }
        }
        const int8_t *restrict ao = (const int8_t *)v[0].buf, *restrict bo = (const int8_t *)v[3].buf;
        const uint8_t *restrict am = v[1].buf ? (const uint8_t *)v[1].buf : zeros;
        const uint8_t *restrict ae = v[2].buf ? (const uint8_t *)v[2].buf : zeros;
        const uint8_t *restrict bm = v[4].buf ? (const uint8_t *)v[4].buf : zeros;
        const uint8_t *restrict be = v[5].buf ? (const uint8_t *)v[5].buf : zeros;
        int8_t *restrict o = (int8_t *)v[6].buf;
        uint8_t *restrict om = (uint8_t *)v[7].buf, *restrict oe = (uint8_t *)v[8].buf;
        uint8_t any_miss = 0, any_err = 0;
        /* x_on: b is read and its stop decides; y_decides: b forgives a missing a */
#define LOGIC_LOOP(X_ON, Y_DECIDES, OUTCOME) \
        for (Py_ssize_t i = 0; i < n; i++) { \
            int8_t x = ao[i], y = bo[i];   /* (read as they are: an outcome indexes nothing here) */ \
            uint8_t xm = am[i] != 0, xe = ae[i] != 0, ym = bm[i] != 0, ye = be[i] != 0; \
            uint8_t x_ok = !(xm | xe), y_ok = !(ym | ye); \
            uint8_t x_on = (X_ON), y_decides = (Y_DECIDES); \
            uint8_t e = xe | (xm & ye) | (x_on & ye); \
            uint8_t m = (xm & !y_decides & !ye) | (x_on & ym); \
            o[i] = (int8_t)(OUTCOME); \
            om[i] = m; \
            oe[i] = e; \
            any_miss |= m; \
            any_err |= e; \
        }
        if (op == 0)
            LOGIC_LOOP(x_ok & (x != 2), y_ok & (y == 2), x > y ? x : y)
        else if (op == 1)
            LOGIC_LOOP(x_ok & (x != 0), y_ok & (y != 2), xm ? y : (x < y ? x : y))
        else   /* a false a: x_ok & (x == 2) */
            LOGIC_LOOP(x_ok & (x != 2), y_ok & (y != 2), (x_ok & (x == 2)) ? 0 : y)
#undef LOGIC_LOOP
        PyMem_Free(zeros);
        result = PyLong_FromLong((any_miss ? 1 : 0) | (any_err ? 2 : 0));
    }
done:
    for (int j = 0; j < 9; j++)
        if (v[j].buf != NULL)
            PyBuffer_Release(&v[j]);
    return result;
}

#include "_ckernel_codes.c"   /* split_codes: the engine's bookkeeping of a rule's statuses */
#include "_ckernel_sums.c"    /* decide_sum: a comparison of sums not added up */
#include "_ckernel_rollup.c"  /* gathered_sums: a roll-up's sums of children, where they are */
#include "_ckernel_rows.c"    /* rows_program: a rule over a table's rows in one pass */

static PyMethodDef methods[] = {
    {"parents", k_parents, METH_VARARGS, "Classification parents of a table's rows in one walk."},
    {"group", k_group, METH_VARARGS, "Rows grouped by parent (a counting sort)."},
    {"find", k_find, METH_VARARGS, "Rows found by (record, code) within each record's keys."},
    {"segment_sums", k_segment_sums, METH_VARARGS, "Each group's sum (wrapping int64)."},
    {"kept_sums", k_kept_sums, METH_VARARGS, "Each group's sum (or count) of the items a mask keeps."},
    {"decide", k_decide, METH_VARARGS, "The outcome of a comparison of symmetric intervals per row."},
    {"statuses", k_statuses, METH_VARARGS, "Status codes of a condition's outcomes and masks."},
    {"row_findings", k_row_findings, METH_VARARGS, "A per-row rule's codes per record and tally."},
    {"logic", k_logic, METH_VARARGS, "and / or / if-then of two conditions with their masks."},
    {"decide_sum", k_decide_sum, METH_VARARGS, "The outcome of a comparison of sums of columns per row, unadded."},
    {"gathered_sums", k_gathered_sums, METH_VARARGS, "Each group's sum of values at an index, and its first stop."},
    {"rows_program", k_rows_program, METH_VARARGS, "A rule's filter and body over a table's rows, a program run in one pass."},
    {"split_codes", k_split_codes, METH_VARARGS, "A chunk's status codes counted, passes within rounding packed, the rest listed."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ckernel", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__ckernel(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddIntConstant(m, "ABI_VERSION", ABI_VERSION) < 0 ||
        PyModule_AddObject(m, "SOURCE_CRC", PyLong_FromUnsignedLong(SOURCE_CRC)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
