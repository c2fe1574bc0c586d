/* A roll-up's sums: each parent's children summed where they are (included by _ckernel.c, whose
 * helpers -- ints_get, bytes_get, overlapping -- it uses; fiscalrules.columnar.rollups is its only
 * user, through arith.group_sum's *index*).
 *
 * gathered_sums(values, halves, miss, err, index, starts, out, out_halves, out_stop) -> None.
 * Group i's items are values[index[j]] for j in [starts[i], starts[i + 1]) -- a parent's children,
 * by row, in list order.  Written, per group: out[i] their sum; out_halves[i] the sum of their
 * halves[index[j]]; out_stop[i] (int8) how the first item that stops does: 0 none, bit 1 missing
 * (miss), bit 2 in error (err) -- a list stops at its first item that is missing or in error, as
 * the per-record engine's does.  Each part is asked for or not (None): values with out, halves
 * with out_halves, miss and/or err with out_stop; at least one.  values, halves: int64 of m
 * elements; miss, err: bool of m elements; index: int64, each in [0, m); starts: int64 of
 * groups + 1, non-decreasing within [0, len(index)].  Sums wrap around in int64 as segment_sums' (every group's sum is below the
 * engine's LIMIT: the caller checks the bound).  Where numpy gathers every child's value, half
 * and masks into temporaries (four arrays of the children's length) and then sums them, this is
 * one pass reading the index once. */

static PyObject *
k_gathered_sums(PyObject *self, PyObject *args)
{
    PyObject *objs[9];
    if (!PyArg_ParseTuple(args, "OOOOOOOOO", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4], &objs[5],
                          &objs[6], &objs[7], &objs[8]))
        return NULL;
    /* int64 buffers: values 0, halves 1, index 4, starts 5, out 6, out_halves 7 */
    static const char *int_names[] = {"values", "halves", "", "", "index", "starts", "out", "out_halves", ""};
    Ints a[9];
    Py_buffer masks[2], stop;
    for (int j = 0; j < 9; j++)
        a[j].data = NULL;
    masks[0].buf = masks[1].buf = stop.buf = NULL;
    PyObject *result = NULL;
    static const int ints_at[] = {0, 1, 4, 5, 6, 7};
    for (int t = 0; t < 6; t++) {
        int j = ints_at[t];
        if (j != 4 && j != 5 && objs[j] == Py_None)
            continue;
        if (ints_get(objs[j], &a[j], j >= 6, int_names[j]) < 0)
            goto done;
    }
    /* m: the length of whichever per-row input is given (each checked against it) */
    Py_ssize_t m = a[0].data ? a[0].n : a[1].data ? a[1].n : -1, k = a[4].n, groups = a[5].n - 1;
    if ((a[0].data == NULL) != (a[6].data == NULL) || (a[1].data == NULL) != (a[7].data == NULL)) {
        PyErr_SetString(PyExc_ValueError, "values and out, halves and out_halves: both arrays or both None");
        goto done;
    }
    if (groups < 0 || (a[6].data && a[6].n != groups) || (a[7].data && a[7].n != groups) ||
        (a[0].data && a[1].data && a[1].n != m)) {
        PyErr_SetString(PyExc_ValueError, "array lengths out of range");
        goto done;
    }
    if (bytes_get(objs[2], &masks[0], 0, m, "miss", "?") < 0 || bytes_get(objs[3], &masks[1], 0, m, "err", "?") < 0)
        goto done;
    int stops = masks[0].buf != NULL || masks[1].buf != NULL;
    if (m < 0 && stops)
        m = masks[0].buf != NULL ? masks[0].len : masks[1].len;
    if (stops && masks[0].buf != NULL && masks[1].buf != NULL && masks[0].len != masks[1].len) {
        PyErr_SetString(PyExc_ValueError, "err: array lengths out of range");
        goto done;
    }
    if (m < 0) {
        PyErr_SetString(PyExc_ValueError, "values, halves, miss or err: one is needed");
        goto done;
    }
    if (bytes_get(objs[8], &stop, 1, groups, "out_stop", "b") < 0)
        goto done;
    if ((stop.buf != NULL) != stops) {
        PyErr_SetString(PyExc_ValueError, "out_stop: an array where miss or err is given, else None");
        goto done;
    }
    {   /* no output may share memory with an input or another output */
        const Py_buffer *outs[3] = {a[6].data ? &a[6].view : NULL, a[7].data ? &a[7].view : NULL,
                                    stop.buf ? &stop : NULL};
        const Py_buffer *all[8] = {a[0].data ? &a[0].view : NULL, a[1].data ? &a[1].view : NULL, masks[0].buf ? &masks[0] : NULL,
                                   masks[1].buf ? &masks[1] : NULL, &a[4].view, &a[5].view, NULL, NULL};
        all[6] = outs[1];
        all[7] = outs[2];
        for (int o = 0; o < 3; o++) {
            if (outs[o] == NULL)
                continue;
            for (int j = 0; j < 8; j++)
                if (all[j] != NULL && all[j] != outs[o] && overlapping(outs[o], all[j])) {
                    PyErr_SetString(PyExc_ValueError, "an output shares memory with another argument");
                    goto done;
                }
            if (o > 0 && outs[0] != NULL && overlapping(outs[o], outs[0])) {
                PyErr_SetString(PyExc_ValueError, "an output shares memory with another argument");
                goto done;
            }
        }
    }
    {
        const int64_t *values = a[0].data, *halves = a[1].data, *index = a[4].data, *starts = a[5].data;
        const uint8_t *miss = (const uint8_t *)masks[0].buf, *err = (const uint8_t *)masks[1].buf;
        int64_t *out = a[6].data, *out_halves = a[7].data;
        int8_t *out_stop = (int8_t *)stop.buf;
        for (Py_ssize_t i = 0; i < groups; i++) {
            int64_t lo = starts[i], hi = starts[i + 1];
            if (lo < 0 || hi > k || lo > hi) {
                PyErr_SetString(PyExc_ValueError, "a group's items out of range");
                goto done;
            }
            uint64_t sum = 0, half = 0;
            int8_t first = 0;
            for (int64_t j = lo; j < hi; j++) {
                int64_t row = index[j];
                if (row < 0 || row >= m) {
                    PyErr_SetString(PyExc_ValueError, "index out of range");
                    goto done;
                }
                if (values != NULL)
                    sum += (uint64_t)values[row];
                if (halves != NULL)
                    half += (uint64_t)halves[row];
                if (stops && first == 0)
                    first = (int8_t)((miss != NULL && miss[row]) | ((err != NULL && err[row]) << 1));
            }
            if (out != NULL)
                out[i] = (int64_t)sum;
            if (out_halves != NULL)
                out_halves[i] = (int64_t)half;
            if (out_stop != NULL)
                out_stop[i] = first;
        }
        Py_INCREF(Py_None);
        result = Py_None;
    }
done:
    for (int j = 0; j < 9; j++)
        if (a[j].data != NULL)
            PyBuffer_Release(&a[j].view);
    for (int j = 0; j < 2; j++)
        if (masks[j].buf != NULL)
            PyBuffer_Release(&masks[j]);
    if (stop.buf != NULL)
        PyBuffer_Release(&stop);
    return result;
}
