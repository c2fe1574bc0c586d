/* fiscalrules._ccolumns: the columnar reading's loops over every row, in C (optional).
 *
 * fiscalrules/columnar/rowloops.py chooses this module or its numpy twins (the same results: the
 * tests run both).  Arrays come in through the buffer protocol (numpy arrays, Arrow buffers), so
 * no numpy header is needed to build it; every index read from a buffer is checked against the
 * buffer's length, and an int64 buffer must be aligned for int64 (else ValueError).  The loops
 * release the GIL.
 *
 *   string_runs(offsets, data, first, n, wide, starts, limit) -> int
 *       where the runs of equal cells of a string array without nulls start (row 0 first),
 *       written to the int64 buffer *starts*; the number of runs, or -1 when they are more
 *       than *limit* (the caller then does without)
 *   ordered(first, second, lut) -> bool
 *       whether rows are in strictly increasing order of (first, second) -- second read through
 *       *lut* (second[i] indexes it) unless lut is None; int64 buffers
 *   records_in_order(key_offsets, key_data, key_first, n, key_wide,
 *                    id_offsets, id_data, id_first, m, id_wide, out) -> bool
 *       the record number of each of *n* keys (a long frame's rows, naming their record) among
 *       *m* distinct ids, written to the int64 buffer *out*, where the keys come in runs that
 *       name records in the ids' order (every record or some): one comparison per row and per
 *       id skipped, no hashing.  False when they do not (out is then partly written)
 *   int_codes(values, valid, codes, distinct) -> int
 *       the int64 *values* dictionary-coded in order of first appearance: each cell's index
 *       into the distinct values (written to *distinct*, int64) in *codes* (int64), a null
 *       cell's (valid[i] == 0; valid is a bool buffer or None) the number of distinct values;
 *       that number, or -1 when it would pass len(distinct), or -2 when a value needed more
 *       than MAX_PROBES probes (values aimed at the hash: the caller codes them another way)
 *   plain_numbers(offsets, data, first, n, wide, valid, plain, units, exps)
 *       which of the *n* cells of a string array (offsets from *first*) are plain decimals --
 *       1 to 19 bytes, -?[0-9]{1,15}(\.[0-9]{1,14})? (values.py's _PLAIN_NUMBER, whole) -- in the
 *       bool buffer *plain*, and their unscaled values and exponents ("-12.50": -1250, -2) in the
 *       int64 buffers *units* and *exps* (0 elsewhere); a null cell (valid[i] == 0, valid a bool
 *       buffer or None) is not plain
 *   string_codes(offsets, data, first, n, wide, valid, codes, firsts) -> int
 *       the *n* cells of a string array (offsets from *first*) dictionary-coded in order of first
 *       appearance, as Arrow's dictionary_encode codes them: each cell's index into the distinct
 *       texts in the int32 buffer *codes* (0 for a null cell: valid[i] == 0, valid a bool buffer
 *       or None), the row of each distinct text's first cell in the int64 buffer *firsts*; the
 *       number of distinct texts, or -1 when they would pass len(firsts), or -2 when a text needed
 *       more than MAX_PROBES probes (texts aimed at the hash: the caller codes them with Arrow)
 *   decimal128_low(words, first, n, valid, out) -> int or None
 *       the *n* cells of a decimal128 array (16-byte little-endian two's complement, from cell
 *       *first* of the values buffer *words*) as int64: each cell's low word into the int64
 *       buffer *out* (0 for a null cell: valid[i] == 0, valid a bool buffer or None); the
 *       greatest magnitude among the cells, or None when a cell's high word is not its low
 *       word's sign (a value beyond int64) -- one pass, where numpy made six
 *   plain_verdict, plain_figures: _ccolumns_plain.c (a text column's plain amounts judged, or read)
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* the CRC-32 of this file, given by setup.py: rowloops.py does not use a build of another source */
#ifndef SOURCE_CRC
#define SOURCE_CRC 0
#endif
/* what crosses between rowloops.py and this file: bump both together */
#define ABI_VERSION 8
/* int_codes: probes of one value before it gives up (-2); a half-full table of well-spread
   values needs ~1.5 on average */
#define MAX_PROBES 64

/* whether an int64 buffer is misaligned (a numpy view at an odd offset): reading it through int64_t *
   would be undefined behaviour, so it is refused as a wrong length is */
static int misaligned(const Py_buffer *v) {
    return (uintptr_t)v->buf % _Alignof(int64_t) != 0;
}

static const char *const NOT_ALIGNED = ": an int64 buffer not aligned for int64";

/* whether two buffers share memory: an output that is also an input (or another output) would be
   read after it was written -- wrong values, silently (review 17 A, B3) -- so it is refused */
static int overlapping(const Py_buffer *x, const Py_buffer *y) {
    const char *xs = (const char *)x->buf, *ys = (const char *)y->buf;
    return x->len > 0 && y->len > 0 && xs < ys + y->len && ys < xs + x->len;
}

static const char *const SHARED = ": an output shares memory with another argument";

/* the buffers *held* let go of */
static void release(Py_buffer *held[], int count) {
    for (int i = 0; i < count; i++)
        PyBuffer_Release(held[i]);
}

/* the optional bool buffer *object* (None: none) into *valid*: 1 when given, 0 for None, -1 when
   it is not a buffer -- the *count* buffers *held* then let go of */
static int optional_valid(PyObject *object, Py_buffer *valid, Py_buffer *held[], int count) {
    if (object == Py_None)
        return 0;
    if (PyObject_GetBuffer(object, valid, PyBUF_SIMPLE) == 0)
        return 1;
    release(held, count);
    return -1;
}

static int64_t offset_at(const char *buf, int wide, Py_ssize_t i) {
    if (wide) {
        int64_t v;
        memcpy(&v, buf + i * 8, 8);
        return v;
    } else {
        int32_t v;
        memcpy(&v, buf + i * 4, 4);
        return v;
    }
}

/* where cell i of a string array (offsets *off*) ends, into *hi*: whether its bytes, from *lo*
   (where the cell before ended), lie within the *size* bytes of the data */
static inline int cell_within(const char *off, int wide, Py_ssize_t i, int64_t lo, int64_t size, int64_t *hi) {
    *hi = offset_at(off, wide, i + 1);
    return lo >= 0 && *hi >= lo && *hi <= size;
}

static PyObject *string_runs(PyObject *self, PyObject *args) {
    Py_buffer offsets, data, starts;
    Py_ssize_t first, n, limit;
    int wide;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*nnpw*n", &offsets, &data, &first, &n, &wide, &starts, &limit))
        return NULL;
    Py_ssize_t width = wide ? 8 : 4;
    Py_ssize_t count = 0;
    int unaligned = misaligned(&starts), bad = unaligned;
    /* no products: first, n and limit come from the caller and may be huge */
    if (bad || first < 0 || n < 0 || limit < 0 || first > offsets.len / width - 1 - n ||
        limit > starts.len / (Py_ssize_t)sizeof(int64_t)) {
        bad = 1;
    } else {
        const char *off = (const char *)offsets.buf;
        const char *bytes = (const char *)data.buf;
        int64_t *out = (int64_t *)starts.buf;
        int64_t size = (int64_t)data.len;
        Py_BEGIN_ALLOW_THREADS
        int64_t lo = n ? offset_at(off, wide, first) : 0, hi;
        int64_t prev_lo = 0, prev_len = -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            hi = offset_at(off, wide, first + i + 1);
            if (lo < 0 || hi < lo || hi > size) {
                bad = 1;
                break;
            }
            int64_t len = hi - lo;
            if (len != prev_len || memcmp(bytes + prev_lo, bytes + lo, (size_t)len) != 0) {
                if (count == limit) {
                    count = -1;
                    break;
                }
                out[count++] = i;
            }
            prev_lo = lo;
            prev_len = len;
            lo = hi;
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&starts);
    if (bad) {
        PyErr_Format(PyExc_ValueError, "string_runs%s", unaligned ? NOT_ALIGNED : ": offsets outside their buffers");
        return NULL;
    }
    return PyLong_FromSsize_t(count);
}

static PyObject *ordered(PyObject *self, PyObject *args) {
    Py_buffer a, b, lut;
    PyObject *lut_object;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*O", &a, &b, &lut_object))
        return NULL;
    int has_lut = lut_object != Py_None;
    if (has_lut && PyObject_GetBuffer(lut_object, &lut, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&a);
        PyBuffer_Release(&b);
        return NULL;
    }
    Py_ssize_t n = a.len / (Py_ssize_t)sizeof(int64_t);
    Py_ssize_t k = has_lut ? lut.len / (Py_ssize_t)sizeof(int64_t) : 0;
    int unaligned = misaligned(&a) || misaligned(&b) || (has_lut && misaligned(&lut));
    int result = 1, bad = unaligned || b.len != a.len;
    if (!bad && n > 0) {
        const int64_t *x = (const int64_t *)a.buf, *y = (const int64_t *)b.buf;
        const int64_t *t = has_lut ? (const int64_t *)lut.buf : NULL;
        Py_BEGIN_ALLOW_THREADS
        int64_t px = x[0], py = y[0];
        if (t) {
            if (py < 0 || py >= k)
                bad = 1;
            else
                py = t[py];
        }
        for (Py_ssize_t i = 1; i < n && !bad; i++) {
            int64_t cx = x[i], cy = y[i];
            if (t) {
                if (cy < 0 || cy >= k) {
                    bad = 1;
                    break;
                }
                cy = t[cy];
            }
            if (cx < px || (cx == px && cy <= py)) {
                result = 0;
                break;
            }
            px = cx;
            py = cy;
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    if (has_lut)
        PyBuffer_Release(&lut);
    if (bad) {
        PyErr_Format(PyExc_ValueError, "ordered%s",
                     unaligned ? NOT_ALIGNED : ": arrays of different lengths, or an index outside the table");
        return NULL;
    }
    return PyBool_FromLong(result);
}

/* the first min(len, 8) bytes at p as a word, the others 0: one load where 8 bytes lie within the
   buffer (*end*: its end), else byte by byte (no memcpy of a variable length: a call per cell) */
static inline uint64_t head_word(const unsigned char *p, int64_t len, const unsigned char *end) {
    uint64_t w = 0;
    if (len >= 8 || end - p >= 8) {
        memcpy(&w, p, 8);
        if (len < 8)
            w &= ((uint64_t)1 << (8 * len)) - 1;   /* (little-endian: the first bytes are the low ones) */
        return w;
    }
    for (int64_t i = 0; i < len; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return w;
}

/* whether len bytes at a and b (each in a buffer ending at a_end, b_end) are the same: short
   texts (record ids) compared by words, reading only those bytes -- a word load, not a memcpy of
   a variable length (a call per row) */
static inline int same_bytes(const unsigned char *a, const unsigned char *a_end, const unsigned char *b,
                             const unsigned char *b_end, int64_t len) {
    if (len <= 8)
        return head_word(a, len, a_end) == head_word(b, len, b_end);
    if (len <= 16) {
        uint64_t x0, y0, x1, y1;
        memcpy(&x0, a, 8);
        memcpy(&y0, b, 8);
        memcpy(&x1, a + len - 8, 8);
        memcpy(&y1, b + len - 8, 8);
        return x0 == y0 && x1 == y1;
    }
    return memcmp(a, b, (size_t)len) == 0;
}

static PyObject *records_in_order(PyObject *self, PyObject *args) {
    Py_buffer koff, kdata, ioff, idata, out;
    Py_ssize_t kfirst, n, ifirst, m;
    int kwide, iwide;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*nnpy*y*nnpw*", &koff, &kdata, &kfirst, &n, &kwide, &ioff, &idata, &ifirst,
                          &m, &iwide, &out))
        return NULL;
    int unaligned = misaligned(&out), found = 1;
    int shared = overlapping(&out, &koff) || overlapping(&out, &kdata) || overlapping(&out, &ioff) ||
                 overlapping(&out, &idata);
    int bad = unaligned || shared;
    Py_ssize_t kwidth = kwide ? 8 : 4, iwidth = iwide ? 8 : 4;
    /* no products: the sizes come from the caller and may be huge */
    if (bad || kfirst < 0 || n < 0 || ifirst < 0 || m < 0 || kfirst > koff.len / kwidth - 1 - n ||
        ifirst > ioff.len / iwidth - 1 - m || n > out.len / (Py_ssize_t)sizeof(int64_t)) {
        bad = 1;
    } else {
        const char *ko = (const char *)koff.buf + kfirst * kwidth, *io = (const char *)ioff.buf + ifirst * iwidth;
        const unsigned char *kb = (const unsigned char *)kdata.buf, *ib = (const unsigned char *)idata.buf;
        int64_t ksize = (int64_t)kdata.len, isize = (int64_t)idata.len;
        const unsigned char *kend = kb + ksize, *iend = ib + isize;
        int64_t *rec = (int64_t *)out.buf;
        Py_BEGIN_ALLOW_THREADS
        /* the last run's key: where its bytes start, how many, its first word -- a row going on
           with the run (most rows: keys are short ids) costs one word loaded and compared */
        int64_t prev_lo = 0, prev_len = -1;
        uint64_t prev_head = 0;
        int64_t lo = n ? offset_at(ko, kwide, 0) : 0;
        int64_t id_lo = m ? offset_at(io, iwide, 0) : 0;
        Py_ssize_t j = -1;   /* the id of the last run; id_lo: where id j + 1 starts */
        if (lo < 0)
            bad = 1;
        for (Py_ssize_t i = 0; i < n && !bad; i++) {
            int64_t hi = offset_at(ko, kwide, i + 1);
            if (hi < lo || hi > ksize) {   /* (lo >= 0: the first is checked, each next is >= it) */
                bad = 1;
                break;
            }
            int64_t len = hi - lo;
            uint64_t head = head_word(kb + lo, len, kend);
            if (len == prev_len && head == prev_head &&
                (len <= 8 || same_bytes(kb + lo, kend, kb + prev_lo, kend, len))) {
                rec[i] = j;   /* the run goes on */
                lo = hi;
                continue;
            }
            /* a new run: its record is a later id (ids are distinct: the first equal one) */
            for (j++; j < m; j++) {
                int64_t id_hi = offset_at(io, iwide, j + 1);
                if (id_lo < 0 || id_hi < id_lo || id_hi > isize) {
                    bad = 1;
                    break;
                }
                int64_t at = id_lo;
                id_lo = id_hi;
                if (id_hi - at == len && same_bytes(ib + at, iend, kb + lo, kend, len))
                    break;
            }
            if (bad || j >= m) {
                found = 0;
                break;
            }
            rec[i] = j;
            prev_lo = lo;
            prev_len = len;
            prev_head = head;
            lo = hi;
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&koff);
    PyBuffer_Release(&kdata);
    PyBuffer_Release(&ioff);
    PyBuffer_Release(&idata);
    PyBuffer_Release(&out);
    if (bad) {
        PyErr_Format(PyExc_ValueError, "records_in_order%s",
                     unaligned ? NOT_ALIGNED : shared ? SHARED : ": offsets outside their buffers");
        return NULL;
    }
    return PyBool_FromLong(found);
}

/* a 64-bit hash of len bytes whose first word is *head*; its top bits pick a slot */
static inline uint64_t text_hash(uint64_t head, const unsigned char *p, int64_t len, const unsigned char *end) {
    uint64_t h = (0x9E3779B97F4A7C15ULL ^ (uint64_t)len) + head;
    h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ULL;
    for (int64_t i = 8; i < len; i += 8) {
        uint64_t w = head_word(p + i, len - i, end);
        h = (h ^ w) * 0x94D049BB133111EBULL;
        h ^= h >> 29;
    }
    return h * 0x9E3779B97F4A7C15ULL;
}

/* whether len bytes at a and b (len > 8) are the same past their first word: by words for
   short texts (a name: 2-4 words), else memcmp */
static inline int same_tail(const unsigned char *a, const unsigned char *b, int64_t len, const unsigned char *end) {
    if (len > 40)
        return memcmp(a + 8, b + 8, (size_t)(len - 8)) == 0;
    for (int64_t i = 8; i < len; i += 8)
        if (head_word(a + i, len - i, end) != head_word(b + i, len - i, end))
            return 0;
    return 1;
}

/* string_codes' table of distinct texts: open addressing, at most half full, grown by doubling
   (a column of a few hundred names keeps a table that stays in cache) */
typedef struct {
    uint64_t hash;       /* the text's hash, */
    uint64_t head;       /* its first word (head_word), */
    int64_t start;       /* where its bytes start, */
    int64_t length;      /* and how many */
} TextEntry;

typedef struct {
    int32_t *slots;      /* slot -> index of a distinct text, -1 empty */
    TextEntry *texts;    /* the distinct texts in order of first appearance */
    Py_ssize_t size, capacity;
    int bits;
} TextTable;

static void text_table_free(TextTable *t) {
    PyMem_RawFree(t->slots);
    PyMem_RawFree(t->texts);
}

/* room for *want* distinct texts (want <= INT32_MAX / 4): 0, or -1 when memory ran out */
static int text_table_grow(TextTable *t, Py_ssize_t count, Py_ssize_t want) {
    if (want > t->capacity) {
        TextEntry *texts = (TextEntry *)PyMem_RawRealloc(t->texts, (size_t)want * sizeof(TextEntry));
        if (texts == NULL)
            return -1;
        t->texts = texts;
        t->capacity = want;
    }
    Py_ssize_t size = t->size ? t->size : 16;
    int bits = t->bits ? t->bits : 4;
    while (size < 2 * want) {
        size <<= 1;
        bits++;
    }
    if (size == t->size)
        return 0;
    int32_t *slots = (int32_t *)PyMem_RawMalloc((size_t)size * sizeof(int32_t));
    if (slots == NULL)
        return -1;
    for (Py_ssize_t s = 0; s < size; s++)
        slots[s] = -1;
    uint64_t mask = (uint64_t)size - 1;
    for (Py_ssize_t k = 0; k < count; k++) {   /* (rehashed: every probe chain only shortens) */
        uint64_t at = t->texts[k].hash >> (64 - bits);
        while (slots[at & mask] >= 0)
            at++;
        slots[at & mask] = (int32_t)k;
    }
    PyMem_RawFree(t->slots);
    t->slots = slots;
    t->size = size;
    t->bits = bits;
    return 0;
}

/* the index among the table's distinct texts of the *len* bytes at bytes + lo (*end*: the data's
   end), the text added as the next one when new (its first cell, *row*, into seen); -1 when that
   would pass *limit* texts, -2 when it needed more than MAX_PROBES probes, -3 when memory ran out */
static Py_ssize_t text_code(TextTable *t, Py_ssize_t *count, Py_ssize_t limit, const unsigned char *bytes, int64_t lo,
                            int64_t len, const unsigned char *end, int64_t *seen, Py_ssize_t row) {
    uint64_t head = head_word(bytes + lo, len, end);
    uint64_t h = text_hash(head, bytes + lo, len, end);
    uint64_t mask = (uint64_t)t->size - 1, at = h >> (64 - t->bits);
    for (int probes = 1; probes <= MAX_PROBES; probes++, at++) {
        int32_t k = t->slots[at & mask];
        if (k < 0) {
            if (*count == limit)
                return -1;
            Py_ssize_t added = (*count)++;
            t->texts[added] = (TextEntry){h, head, lo, len};
            t->slots[at & mask] = (int32_t)added;
            seen[added] = row;
            if (2 * *count >= t->size && text_table_grow(t, *count, *count < limit / 2 ? 2 * *count : limit) < 0)
                return -3;
            return added;
        }
        const TextEntry *text = &t->texts[k];
        if (text->hash == h && text->length == len && text->head == head &&
            (len <= 8 || same_tail(bytes + text->start, bytes + lo, len, end)))
            return k;
    }
    return -2;   /* a chain this long: texts aimed at the hash */
}

static PyObject *string_codes(PyObject *self, PyObject *args) {
    Py_buffer offsets, data, codes, firsts, valid;
    Py_ssize_t first, n;
    int wide;
    PyObject *valid_object;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*nnpOw*w*", &offsets, &data, &first, &n, &wide, &valid_object, &codes, &firsts))
        return NULL;
    Py_buffer *held[] = {&offsets, &data, &codes, &firsts, &valid};
    int has_valid = optional_valid(valid_object, &valid, held, 4);
    if (has_valid < 0)
        return NULL;
    Py_ssize_t width = wide ? 8 : 4;
    Py_ssize_t limit = firsts.len / (Py_ssize_t)sizeof(int64_t);
    if (limit > INT32_MAX / 4)   /* (indices are int32; the table's slots twice as many) */
        limit = INT32_MAX / 4;
    int unaligned = (uintptr_t)codes.buf % _Alignof(int32_t) != 0 || misaligned(&firsts);
    int shared = overlapping(&codes, &firsts) || overlapping(&codes, &offsets) || overlapping(&codes, &data) ||
                 overlapping(&firsts, &offsets) || overlapping(&firsts, &data) ||
                 (has_valid && (overlapping(&codes, &valid) || overlapping(&firsts, &valid)));
    /* no products: first and n come from the caller and may be huge */
    int bad = unaligned || shared || first < 0 || n < 0 || first > offsets.len / width - 1 - n ||
              n > codes.len / (Py_ssize_t)sizeof(int32_t) || (has_valid && valid.len < n);
    int no_memory = 0;
    Py_ssize_t count = 0;
    TextTable table = {NULL, NULL, 0, 0, 0};
    if (!bad && text_table_grow(&table, 0, limit < 64 ? limit : 64) < 0)
        no_memory = 1;
    if (!bad && !no_memory) {
        const char *off = (const char *)offsets.buf + first * width;
        const unsigned char *bytes = (const unsigned char *)data.buf;
        int64_t size = (int64_t)data.len;
        const unsigned char *ok = has_valid ? (const unsigned char *)valid.buf : NULL;
        int32_t *out = (int32_t *)codes.buf;
        int64_t *seen = (int64_t *)firsts.buf;
        Py_BEGIN_ALLOW_THREADS
        int64_t lo = n ? offset_at(off, wide, 0) : 0, hi = lo;
        for (Py_ssize_t i = 0; i < n; lo = hi, i++) {
            if (!cell_within(off, wide, i, lo, size, &hi)) {
                bad = 1;
                break;
            }
            Py_ssize_t code = ok && !ok[i] ? 0 : text_code(&table, &count, limit, bytes, lo, hi - lo, bytes + size, seen, i);
            if (code < 0) {
                no_memory = code == -3;
                count = no_memory ? count : code;
                break;
            }
            out[i] = (int32_t)code;
        }
        Py_END_ALLOW_THREADS
    }
    text_table_free(&table);
    release(held, 4 + has_valid);
    if (no_memory)
        return PyErr_NoMemory();
    if (bad) {
        PyErr_Format(PyExc_ValueError, "string_codes%s",
                     unaligned ? ": an int32 or int64 buffer not aligned for its type"
                               : shared ? SHARED : ": offsets outside their buffers, or an output shorter than n");
        return NULL;
    }
    return PyLong_FromSsize_t(count);
}

static PyObject *int_codes(PyObject *self, PyObject *args) {
    Py_buffer values, codes, distinct, valid;
    PyObject *valid_object;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*Ow*w*", &values, &valid_object, &codes, &distinct))
        return NULL;
    int has_valid = valid_object != Py_None;
    if (has_valid && PyObject_GetBuffer(valid_object, &valid, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&values);
        PyBuffer_Release(&codes);
        PyBuffer_Release(&distinct);
        return NULL;
    }
    Py_ssize_t n = values.len / (Py_ssize_t)sizeof(int64_t);
    Py_ssize_t limit = distinct.len / (Py_ssize_t)sizeof(int64_t);
    int unaligned = misaligned(&values) || misaligned(&codes) || misaligned(&distinct);
    int shared = overlapping(&codes, &values) || overlapping(&codes, &distinct) || overlapping(&distinct, &values) ||
                 (has_valid && (overlapping(&codes, &valid) || overlapping(&distinct, &valid)));
    int bad = unaligned || shared || codes.len < values.len || (has_valid && valid.len < n);
    Py_ssize_t count = 0;
    /* open addressing, at most half full: slot -> index into distinct, -1 empty */
    Py_ssize_t size = 2;
    int bits = 1;
    while (size < 2 * limit + 2) {
        size <<= 1;
        bits++;
    }
    int64_t *slots = bad ? NULL : (int64_t *)PyMem_RawMalloc((size_t)size * sizeof(int64_t));
    if (!bad && slots == NULL) {
        PyBuffer_Release(&values);
        PyBuffer_Release(&codes);
        PyBuffer_Release(&distinct);
        if (has_valid)
            PyBuffer_Release(&valid);
        return PyErr_NoMemory();
    }
    if (!bad) {
        const int64_t *x = (const int64_t *)values.buf;
        const unsigned char *ok = has_valid ? (const unsigned char *)valid.buf : NULL;
        int64_t *out = (int64_t *)codes.buf, *seen = (int64_t *)distinct.buf;
        Py_BEGIN_ALLOW_THREADS
        uint64_t mask = (uint64_t)size - 1;
        for (Py_ssize_t s = 0; s < size; s++)
            slots[s] = -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (ok && !ok[i]) {
                out[i] = -1;
                continue;
            }
            int64_t v = x[i];
            /* Fibonacci hashing: the product's top bits, which every bit of v reaches (its low
               bits alone let values equal modulo 2**36 share one chain: review 17 B2) */
            uint64_t h = ((uint64_t)v * 0x9E3779B97F4A7C15ULL) >> (64 - bits);
            int probes = 0;
            for (;;) {
                if (++probes > MAX_PROBES) {   /* a chain this long: values aimed at the hash */
                    count = -2;
                    break;
                }
                int64_t at = slots[h & mask];
                if (at < 0) {
                    if (count == limit) {
                        count = -1;
                        break;
                    }
                    seen[count] = v;
                    slots[h & mask] = count;
                    out[i] = count++;
                    break;
                }
                if (seen[at] == v) {
                    out[i] = at;
                    break;
                }
                h++;
            }
            if (count < 0)
                break;
        }
        if (ok && count >= 0)   /* a null cell's code: the number of distinct values */
            for (Py_ssize_t i = 0; i < n; i++)
                if (!ok[i])
                    out[i] = count;
        Py_END_ALLOW_THREADS
        PyMem_RawFree(slots);
    }
    PyBuffer_Release(&values);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&distinct);
    if (has_valid)
        PyBuffer_Release(&valid);
    if (bad) {
        PyErr_Format(PyExc_ValueError, "int_codes%s",
                     unaligned ? NOT_ALIGNED : shared ? SHARED : ": buffers of different lengths");
        return NULL;
    }
    return PyLong_FromSsize_t(count);
}

/* a plain decimal (see plain_numbers): its unscaled value and exponent, or 0 */
static inline int plain_number(const unsigned char *p, int64_t len, int64_t *unit, int64_t *exp) {
    if (len < 1 || len > 19)
        return 0;
    int64_t i = 0, start;
    int negative = p[0] == '-';
    i += negative;
    uint64_t value = 0;
    for (start = i; i < len && p[i] >= '0' && p[i] <= '9'; i++)
        value = value * 10 + (uint64_t)(p[i] - '0');
    int64_t whole = i - start, decimals = 0;
    if (whole < 1 || whole > 15)
        return 0;
    if (i < len) {
        if (p[i] != '.')
            return 0;
        for (start = ++i; i < len && p[i] >= '0' && p[i] <= '9'; i++)
            value = value * 10 + (uint64_t)(p[i] - '0');
        decimals = i - start;
        if (decimals < 1 || decimals > 14 || i < len)
            return 0;
    }
    /* (at most 18 digits in 19 bytes: the value fits) */
    *unit = negative ? -(int64_t)value : (int64_t)value;
    *exp = -decimals;
    return 1;
}

static PyObject *plain_numbers(PyObject *self, PyObject *args) {
    Py_buffer offsets, data, plain, units, exps, valid;
    Py_ssize_t first, n;
    int wide;
    PyObject *valid_object;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*nnpOw*w*w*", &offsets, &data, &first, &n, &wide, &valid_object, &plain, &units,
                          &exps))
        return NULL;
    Py_buffer *held[] = {&offsets, &data, &plain, &units, &exps, &valid};
    int has_valid = optional_valid(valid_object, &valid, held, 5);
    if (has_valid < 0)
        return NULL;
    Py_ssize_t width = wide ? 8 : 4;
    /* no products: first and n come from the caller and may be huge */
    int unaligned = misaligned(&units) || misaligned(&exps);
    int shared = 0;
    const Py_buffer *outputs[3] = {&plain, &units, &exps}, *inputs[2] = {&offsets, &data};
    for (int o = 0; o < 3; o++) {
        for (int k = 0; k < 2; k++)
            shared |= overlapping(outputs[o], inputs[k]);
        for (int k = o + 1; k < 3; k++)
            shared |= overlapping(outputs[o], outputs[k]);
        shared |= has_valid && overlapping(outputs[o], &valid);
    }
    int bad = unaligned || shared || first < 0 || n < 0 || first > offsets.len / width - 1 - n || n > plain.len ||
              n > units.len / (Py_ssize_t)sizeof(int64_t) || n > exps.len / (Py_ssize_t)sizeof(int64_t) ||
              (has_valid && valid.len < n);
    if (!bad) {
        const char *off = (const char *)offsets.buf + first * width;
        const unsigned char *bytes = (const unsigned char *)data.buf;
        int64_t size = (int64_t)data.len;
        const unsigned char *ok = has_valid ? (const unsigned char *)valid.buf : NULL;
        unsigned char *is_plain = (unsigned char *)plain.buf;
        int64_t *unit = (int64_t *)units.buf, *exp = (int64_t *)exps.buf;
        Py_BEGIN_ALLOW_THREADS
        int64_t lo = n ? offset_at(off, wide, 0) : 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t hi;
            if (!cell_within(off, wide, i, lo, size, &hi)) {
                bad = 1;
                break;
            }
            unit[i] = exp[i] = 0;
            is_plain[i] = (!ok || ok[i]) && plain_number(bytes + lo, hi - lo, unit + i, exp + i);
            lo = hi;
        }
        Py_END_ALLOW_THREADS
    }
    release(held, 5 + has_valid);
    if (bad) {
        PyErr_Format(PyExc_ValueError, "plain_numbers%s",
                     unaligned ? NOT_ALIGNED : shared ? SHARED : ": offsets outside their buffers, or an output shorter than n");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *decimal128_low(PyObject *self, PyObject *args) {
    Py_buffer words, out, valid;
    Py_ssize_t first, n;
    PyObject *valid_object;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*nnOw*", &words, &first, &n, &valid_object, &out))
        return NULL;
    int has_valid = valid_object != Py_None;
    if (has_valid && PyObject_GetBuffer(valid_object, &valid, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&words);
        PyBuffer_Release(&out);
        return NULL;
    }
    /* no products: first and n come from the caller and may be huge */
    Py_ssize_t cells = words.len / 16;
    int unaligned = misaligned(&out);
    int shared = overlapping(&out, &words) || (has_valid && overlapping(&out, &valid));
    int bad = unaligned || shared || first < 0 || n < 0 || first > cells - n ||
              n > out.len / (Py_ssize_t)sizeof(int64_t) || (has_valid && valid.len < n);
    int fits = 1;
    uint64_t greatest = 0;
    if (!bad) {
        const unsigned char *cell = (const unsigned char *)words.buf + first * 16;
        const unsigned char *ok = has_valid ? (const unsigned char *)valid.buf : NULL;
        int64_t *low = (int64_t *)out.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++, cell += 16) {
            if (ok && !ok[i]) {
                low[i] = 0;
                continue;
            }
            int64_t v, high;   /* (memcpy: a sliced buffer need not be aligned) */
            memcpy(&v, cell, 8);
            memcpy(&high, cell + 8, 8);
            if (high != (v < 0 ? -1 : 0)) {
                fits = 0;
                break;
            }
            low[i] = v;
            uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            if (magnitude > greatest)
                greatest = magnitude;
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&words);
    PyBuffer_Release(&out);
    if (has_valid)
        PyBuffer_Release(&valid);
    if (bad) {
        PyErr_Format(PyExc_ValueError, "decimal128_low%s",
                     unaligned ? NOT_ALIGNED : shared ? SHARED : ": cells outside the buffer, or an output shorter than n");
        return NULL;
    }
    if (!fits)
        Py_RETURN_NONE;
    return PyLong_FromUnsignedLongLong((unsigned long long)greatest);
}

#include "_ccolumns_plain.c"   /* plain_verdict, plain_figures */

static PyMethodDef methods[] = {
    {"string_runs", string_runs, METH_VARARGS, "where the runs of equal cells of a string array start"},
    {"ordered", ordered, METH_VARARGS, "whether rows are in strictly increasing order of two int64 keys"},
    {"records_in_order", records_in_order, METH_VARARGS, "the record number of each key, where keys come in the ids' order"},
    {"int_codes", int_codes, METH_VARARGS, "int64 values dictionary-coded in order of first appearance"},
    {"plain_numbers", plain_numbers, METH_VARARGS, "the plain decimals of a string array and their values"},
    {"plain_verdict", plain_verdict, METH_VARARGS, "the rows of a string array holding a value that is not a plain decimal"},
    {"plain_figures", plain_figures, METH_VARARGS, "a string array's plain decimals read, and the rows of its other values"},
    {"string_codes", string_codes, METH_VARARGS, "a string array dictionary-coded in order of first appearance"},
    {"decimal128_low", decimal128_low, METH_VARARGS, "the cells of a decimal128 array as int64, and their bound"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ccolumns",
                                    "the columnar reading's loops over every row, in C", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__ccolumns(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObject(m, "SOURCE_CRC", PyLong_FromUnsignedLong(SOURCE_CRC)) < 0 ||
        PyModule_AddObject(m, "ABI_VERSION", PyLong_FromLong(ABI_VERSION)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
