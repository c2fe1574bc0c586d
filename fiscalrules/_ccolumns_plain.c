/* fiscalrules._ccolumns: a text column's plain amounts judged, or read, in one pass (included by
 * _ccolumns.c, which has the helpers and plain_number; its CRC is taken with it, by file name).
 *
 *   plain_verdict(offsets, data, first, n, wide, valid, rows, limit) -> int
 *       the rows of the *n* cells of a string array (offsets from *first*) that hold a value
 *       (valid[i] != 0; valid a bool buffer or None) but not a plain decimal (plain_numbers'),
 *       written to the int64 buffer *rows*; their number, or -1 when they are more than *limit*
 *       (the caller then reads the column otherwise).  Nothing else is written: validating a
 *       column whose cells are amounts reads its bytes once and writes a few rows
 *   plain_figures(offsets, data, first, n, wide, valid, units, exps, rows, limit)
 *           -> (count, lowest, highest, greatest) or None
 *       as plain_verdict (the rows into *rows*; None when more than *limit*), and the plain
 *       cells' unscaled values into the int64 buffer *units* and their exponents into the int8
 *       buffer *exps* (0 for every other cell); *lowest* and *highest* of those exponents (0
 *       and 0 when no cell is plain), *greatest* of those values' magnitudes -- what a figure
 *       column's reading needs of its plain cells, in one pass where there were some ten
 */

/* the bytes of an 8-byte word (little-endian: byte i at bits 8i…8i+7) that are not ASCII digits,
   one bit each (bit i for byte i): digits are 0x30-0x39, so with the word xored by 0x30 a byte is a
   digit when it is at most 9; adding 0x76 to its low seven bits sets its high bit past 9, without
   a carry into the next byte, and a byte whose own high bit is set is no digit either */
static inline unsigned non_digits(uint64_t word) {
    uint64_t x = word ^ 0x3030303030303030ULL;
    uint64_t high = (((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7676767676767676ULL) | x) & 0x8080808080808080ULL;
    return (unsigned)(((high >> 7) * 0x0102040810204080ULL) >> 56);   /* (each byte's bit gathered) */
}

static inline uint64_t word_at(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    return word;
}

static inline int lowest_bit(unsigned bits) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctz(bits);
#else
    int i = 0;
    while (!(bits & 1u)) {
        bits >>= 1;
        i++;
    }
    return i;
#endif
}

/* whether the *len* bytes at *p* are a plain decimal -- plain_number's test: -?[0-9]{1,15}(\.[0-9]{1,14})?
   in at most 19 bytes -- and where its point is (*point*: len when it has none); *readable*: the
   bytes from p to the end of the data, so that the cell's 8-byte words can be read whole (a cell
   nearer the end is read byte by byte).  The bytes' classes by word, not byte by byte: no chain of multiplications
   per digit, no branch per byte (a verdict needs no values) */
static inline int plain_shape(const unsigned char *p, int64_t len, int64_t readable, int64_t *point) {
    if (len < 1 || len > 19)
        return 0;
    int negative = p[0] == '-';
    if (readable < ((len + 7) & ~7)) {   /* (the data's last cells: their words would pass its end) */
        int64_t unit, exp;
        if (!plain_number(p, len, &unit, &exp))
            return 0;
        *point = exp ? len + exp - 1 : len;
        return 1;
    }
    uint32_t others = non_digits(word_at(p));   /* (the words the cell covers: most amounts take one or two) */
    if (len > 8) {
        others |= non_digits(word_at(p + 8)) << 8;
        if (len > 16)
            others |= non_digits(word_at(p + 16)) << 16;
    }
    others &= ((uint32_t)1 << len) - 1;
    others &= ~(uint32_t)negative;
    int64_t at = len, whole = len - negative;
    if (others) {   /* one byte that is not a digit, the point, with digits on both sides */
        at = lowest_bit(others);
        if ((others & (others - 1)) || p[at] != '.' || len - at - 1 > 14)
            return 0;
        whole = at - negative;
        if (at == len - 1)
            return 0;
    }
    *point = at;
    return whole >= 1 && whole <= 15;
}

/* the unscaled value and exponent of a plain decimal (plain_shape's, its point at *point*) */
static inline void plain_value(const unsigned char *p, int64_t len, int64_t point, int64_t *unit, int64_t *exp) {
    int negative = p[0] == '-';
    uint64_t value = 0;
    for (int64_t i = negative; i < point; i++)
        value = value * 10 + (uint64_t)(p[i] - '0');
    for (int64_t i = point + 1; i < len; i++)
        value = value * 10 + (uint64_t)(p[i] - '0');
    *unit = negative ? -(int64_t)value : (int64_t)value;
    *exp = point < len ? -(len - point - 1) : 0;
}

/* the arguments both take: checked, into *p*; 0 on success (else the exception is set and every
   buffer let go of) */
typedef struct {
    Py_buffer offsets, data, valid, rows, units, exps;
    Py_ssize_t first, n, limit;
    int wide, has_valid, values;
} PlainArgs;

static int plain_args(PyObject *args, PlainArgs *p, int values, const char *name) {
    PyObject *valid_object;
    p->values = values;
    int parsed = values ? PyArg_ParseTuple(args, "y*y*nnpOw*w*w*n", &p->offsets, &p->data, &p->first, &p->n,
                                           &p->wide, &valid_object, &p->units, &p->exps, &p->rows, &p->limit)
                        : PyArg_ParseTuple(args, "y*y*nnpOw*n", &p->offsets, &p->data, &p->first, &p->n, &p->wide,
                                           &valid_object, &p->rows, &p->limit);
    if (!parsed)
        return -1;
    Py_buffer *held[] = {&p->offsets, &p->data, &p->rows, &p->units, &p->exps, &p->valid};
    int count = values ? 5 : 3;
    if (!values)   /* (held in this order: the outputs a verdict has not taken are left out) */
        held[3] = &p->valid;
    p->has_valid = optional_valid(valid_object, &p->valid, held, count);
    if (p->has_valid < 0)
        return -1;
    Py_ssize_t width = p->wide ? 8 : 4;
    Py_ssize_t n = p->n, first = p->first;
    /* no products: first and n come from the caller and may be huge */
    int unaligned = misaligned(&p->rows) || (values && misaligned(&p->units));
    int shared = overlapping(&p->rows, &p->offsets) || overlapping(&p->rows, &p->data) ||
                 (p->has_valid && overlapping(&p->rows, &p->valid));
    if (values) {
        const Py_buffer *outputs[3] = {&p->rows, &p->units, &p->exps}, *inputs[2] = {&p->offsets, &p->data};
        for (int o = 1; o < 3; o++) {
            for (int k = 0; k < 2; k++)
                shared |= overlapping(outputs[o], inputs[k]);
            for (int k = 0; k < o; k++)
                shared |= overlapping(outputs[o], outputs[k]);
            shared |= p->has_valid && overlapping(outputs[o], &p->valid);
        }
    }
    Py_ssize_t room = p->rows.len / (Py_ssize_t)sizeof(int64_t);
    int bad = unaligned || shared || first < 0 || n < 0 || first > p->offsets.len / width - 1 - n || p->limit < 0 ||
              p->limit > room || (p->has_valid && p->valid.len < n) ||
              (values && (n > p->units.len / (Py_ssize_t)sizeof(int64_t) || n > p->exps.len));
    if (bad) {
        PyErr_Format(PyExc_ValueError, "%s%s", name,
                     unaligned ? NOT_ALIGNED : shared ? SHARED : ": offsets outside their buffers, or an output shorter than n");
        Py_buffer *all[] = {&p->offsets, &p->data, &p->rows, &p->units, &p->exps, &p->valid};
        if (!values)
            all[3] = &p->valid;
        release(all, count + p->has_valid);
        return -1;
    }
    return 0;
}

static void plain_release(PlainArgs *p) {
    PyBuffer_Release(&p->offsets);
    PyBuffer_Release(&p->data);
    PyBuffer_Release(&p->rows);
    if (p->values) {
        PyBuffer_Release(&p->units);
        PyBuffer_Release(&p->exps);
    }
    if (p->has_valid)
        PyBuffer_Release(&p->valid);
}

/* the pass of both: -1 past the limit, -2 for offsets outside their buffers, else the rows' number */
static Py_ssize_t plain_pass(PlainArgs *p, int64_t *lowest, int64_t *highest, uint64_t *greatest) {
    const char *off = (const char *)p->offsets.buf + p->first * (p->wide ? 8 : 4);
    const unsigned char *bytes = (const unsigned char *)p->data.buf;
    int64_t size = (int64_t)p->data.len;
    const unsigned char *ok = p->has_valid ? (const unsigned char *)p->valid.buf : NULL;
    int64_t *rows = (int64_t *)p->rows.buf;
    int64_t *units = p->values ? (int64_t *)p->units.buf : NULL;
    signed char *exps = p->values ? (signed char *)p->exps.buf : NULL;
    Py_ssize_t n = p->n, limit = p->limit, count = 0;
    int64_t low = 64, high = -64;   /* (exponents of plain cells lie within -14…0) */
    uint64_t most = 0;
    int64_t lo = n ? offset_at(off, p->wide, 0) : 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t hi, unit = 0, exp = 0;
        if (!cell_within(off, p->wide, i, lo, size, &hi))
            return -2;
        int given = !ok || ok[i];
        int64_t point;
        if (given && !plain_shape(bytes + lo, hi - lo, size - lo, &point)) {
            if (count == limit)
                return -1;
            rows[count++] = i;
            unit = exp = 0;
        } else if (given && units) {
            plain_value(bytes + lo, hi - lo, point, &unit, &exp);
            if (exp < low)
                low = exp;
            if (exp > high)
                high = exp;
            uint64_t magnitude = unit < 0 ? (uint64_t)0 - (uint64_t)unit : (uint64_t)unit;
            if (magnitude > most)
                most = magnitude;
        }
        if (units) {
            units[i] = unit;
            exps[i] = (signed char)exp;
        }
        lo = hi;
    }
    if (high < low) /* no plain cell */
        low = high = 0;
    *lowest = low;
    *highest = high;
    *greatest = most;
    return count;
}

/* plain_verdict's and plain_figures' call: *values* tells which */
static PyObject *plain_call(PyObject *args, int values) {
    PlainArgs p;
    const char *name = values ? "plain_figures" : "plain_verdict";
    if (plain_args(args, &p, values, name) < 0)
        return NULL;
    Py_ssize_t count;
    int64_t low, high;
    uint64_t most;
    Py_BEGIN_ALLOW_THREADS
    count = plain_pass(&p, &low, &high, &most);
    Py_END_ALLOW_THREADS
    plain_release(&p);
    if (count == -2) {
        PyErr_Format(PyExc_ValueError, "%s: offsets outside their buffers", name);
        return NULL;
    }
    if (!values)
        return PyLong_FromSsize_t(count);
    if (count == -1)
        Py_RETURN_NONE;
    return Py_BuildValue("nLLK", count, (long long)low, (long long)high, (unsigned long long)most);
}

static PyObject *plain_verdict(PyObject *self, PyObject *args) {
    (void)self;
    return plain_call(args, 0);
}

static PyObject *plain_figures(PyObject *self, PyObject *args) {
    (void)self;
    return plain_call(args, 1);
}
