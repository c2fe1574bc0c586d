/* fiscalrules._ccolumns: the columnar reading's loops over every row, in C (optional).
 *
 * fiscalrules/columnar/rowloops.py chooses this module or its numpy twins (the same results: the
 * tests run both).  Arrays come in through the buffer protocol (numpy arrays, Arrow buffers), so
 * no numpy header is needed to build it; every index read from a buffer is checked against the
 * buffer's length.  The loops release the GIL.
 *
 *   string_runs(offsets, data, first, n, wide, starts, limit) -> int
 *       where the runs of equal cells of a string array without nulls start (row 0 first),
 *       written to the int64 buffer *starts*; the number of runs, or -1 when they are more
 *       than *limit* (the caller then does without)
 *   ordered(first, second, lut) -> bool
 *       whether rows are in strictly increasing order of (first, second) -- second read through
 *       *lut* (second[i] indexes it) unless lut is None; int64 buffers
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
#define ABI_VERSION 1

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

static PyObject *string_runs(PyObject *self, PyObject *args) {
    Py_buffer offsets, data, starts;
    Py_ssize_t first, n, limit;
    int wide;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*nnpw*n", &offsets, &data, &first, &n, &wide, &starts, &limit))
        return NULL;
    Py_ssize_t width = wide ? 8 : 4;
    Py_ssize_t count = 0;
    int bad = 0;
    /* no products: first, n and limit come from the caller and may be huge */
    if (first < 0 || n < 0 || limit < 0 || first > offsets.len / width - 1 - n ||
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
        PyErr_SetString(PyExc_ValueError, "string_runs: offsets outside their buffers");
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
    int result = 1, bad = b.len != a.len;
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
        PyErr_SetString(PyExc_ValueError, "ordered: arrays of different lengths, or an index outside the table");
        return NULL;
    }
    return PyBool_FromLong(result);
}

static PyMethodDef methods[] = {
    {"string_runs", string_runs, METH_VARARGS, "where the runs of equal cells of a string array start"},
    {"ordered", ordered, METH_VARARGS, "whether rows are in strictly increasing order of two int64 keys"},
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
