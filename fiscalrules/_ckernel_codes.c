/* The engine's bookkeeping of a rule's statuses over a chunk, in one pass (included by _ckernel.c,
 * whose helpers -- ints_get, bytes_get, overlapping -- it uses; fiscalrules.columnar.engine's
 * TableReport._add is its only user, and keeps the numpy code it replaces).
 *
 * split_codes(codes, tally, rounding, kept) -> (kept count, rounding count).
 * codes: int8, a status code (0..5, STATUS_CODES order) per record of the chunk.  Written:
 * tally (int64[6]: the records of each status), rounding (uint8[(n + 7) / 8]: the records that
 * pass within rounding, code 1, as np.packbits packs a mask -- the first record in the highest
 * bit of the first byte, the unused bits of the last byte 0), kept (int64[n]: the positions of
 * the records that do not pass, codes above 1, in order, in its first kept-count entries).
 * Where numpy makes five passes (two comparisons, a count, a nonzero, a pack), this is two: a check
 * that every code is a status, and one over the codes eight at a time. */
static PyObject *
k_split_codes(PyObject *self, PyObject *args)
{
    PyObject *codes_obj, *tally_obj, *rounding_obj, *kept_obj;
    if (!PyArg_ParseTuple(args, "OOOO", &codes_obj, &tally_obj, &rounding_obj, &kept_obj))
        return NULL;
    Ints ints[2];
    ints[0].data = ints[1].data = NULL;
    Py_buffer v[2];
    v[0].buf = v[1].buf = NULL;
    PyObject *result = NULL;
    if (bytes_get(codes_obj, &v[0], 0, -1, "codes", "b") < 0)
        goto done;
    if (v[0].buf == NULL) {
        PyErr_SetString(PyExc_TypeError, "codes: an array is needed");
        goto done;
    }
    Py_ssize_t n = v[0].len;
    if (bytes_get(rounding_obj, &v[1], 1, (n + 7) / 8, "rounding", "B") < 0)
        goto done;
    if (v[1].buf == NULL) {
        PyErr_SetString(PyExc_TypeError, "rounding: an array is needed");
        goto done;
    }
    if (ints_get(tally_obj, &ints[0], 1, "tally") < 0 || ints_get(kept_obj, &ints[1], 1, "kept") < 0)
        goto done;
    if (ints[0].n != 6 || ints[1].n != n) {
        PyErr_SetString(PyExc_ValueError, "tally, kept: array lengths out of range");
        goto done;
    }
    {   /* the outputs share memory with no other argument */
        static const char *names[] = {"codes", "rounding", "tally", "kept"};
        const Py_buffer *views[4] = {&v[0], &v[1], &ints[0].view, &ints[1].view};
        for (int j = 1; j < 4; j++)
            for (int i = 0; i < 4; i++)
                if (i != j && overlapping(views[j], views[i])) {
                    PyErr_Format(PyExc_ValueError, "%s shares memory with %s", names[j], names[i]);
                    goto done;
                }
    }
    {
        const int8_t *restrict codes = (const int8_t *)v[0].buf;
        uint8_t *restrict bits = (uint8_t *)v[1].buf;
        int64_t *restrict tally = ints[0].data, *restrict kept = ints[1].data;
        uint8_t bad = 0;
        for (Py_ssize_t i = 0; i < n; i++)        /* (a pass the compiler vectorises) */
            bad |= (uint8_t)codes[i] > 5;
        if (bad) {
            PyErr_SetString(PyExc_ValueError, "a status code out of range");
            goto done;
        }
        /* Eight codes (each 0..5) at a time as the bytes of a word: a byte's high bit marks a
         * code of 1 (x = code ^ 1 is 0; x + 0x7f carries into the high bit for any other), and
         * one above 1 (code + 0x7e does); no byte carries into the next.  The eight marks of
         * the codes of 1 are gathered into one byte by a multiplication, the first code's mark
         * in the highest bit (np.packbits' order).  Codes above 1 are most often few: their
         * positions are written from the word's marks, when it has any. */
        const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
        const uint16_t probe = 1;
        const int little = *(const uint8_t *)&probe;   /* (the first code in the lowest byte) */
        Py_ssize_t n_kept = 0, n_rounding = 0, whole = little ? n / 8 * 8 : 0;
        for (Py_ssize_t start = 0; start < whole; start += 8) {
            uint64_t w;
            memcpy(&w, codes + start, 8);
            uint64_t rounding = ~((w ^ ones) + 0x7f7f7f7f7f7f7f7fULL) & high;
            uint64_t above = (w + 0x7e7e7e7e7e7e7e7eULL) & high;
            bits[start / 8] = (uint8_t)(((rounding >> 7) * 0x8040201008040201ULL) >> 56);
            n_rounding += (Py_ssize_t)(((rounding >> 7) * ones) >> 56);   /* (the marks summed) */
            if (above)
                for (int b = 0; b < 8; b++)
                    if ((above >> (8 * b + 7)) & 1)
                        kept[n_kept++] = start + b;
        }
        for (Py_ssize_t start = whole; start < n; start += 8) {   /* (the last codes, or all of them) */
            uint8_t byte = 0;
            for (Py_ssize_t i = start; i < n && i < start + 8; i++) {
                byte |= (uint8_t)((codes[i] == 1) << (7 - (i - start)));
                n_rounding += codes[i] == 1;
                if (codes[i] > 1)
                    kept[n_kept++] = i;
            }
            bits[start / 8] = byte;
        }
        /* what each status counts: the passes are what is neither kept nor passing within rounding */
        int64_t count[6] = {n - n_kept - n_rounding, n_rounding, 0, 0, 0, 0};
        for (Py_ssize_t j = 0; j < n_kept; j++)
            count[codes[kept[j]]]++;
        for (int c = 0; c < 6; c++)
            tally[c] = count[c];
        result = Py_BuildValue("nn", n_kept, n_rounding);
    }
done:
    ints_release(ints, 2);
    for (int j = 0; j < 2; j++)
        if (v[j].buf != NULL)
            PyBuffer_Release(&v[j]);
    return result;
}
