/* A comparison of sums decided without adding the sums up first (included by _ckernel.c, whose
 * helpers -- ints_get, bytes_get, overlapping -- it uses; fiscalrules.columnar.arith's decide is
 * its only user, for a side that is a sum of columns not yet added up: arith.Sum).
 *
 * decide_sum(op, terms, signs, low, high, out) -> None.
 * terms: a tuple of 1 to SUM_TERMS int64 arrays of n elements each, signs: a tuple of as
 * many +1 / -1; the difference of the two sides is d = sum of sign * term per element -- the left
 * side's terms with +1, the right side's with -1 -- and the outcome is decide's (k_decide) for
 * that d: op 0..5 (= != < <= > >=), low / high the reach rounded down and up (ints, or int64
 * arrays of n).  Written: out (int8, n): 0 EXACT, 1 ROUNDING, 2 FAIL.  The caller has checked
 * that every partial sum stays below 2**62 (Num.bound): no overflow.  Where numpy makes a pass
 * per term (each writing a temporary) and one for the comparison, this is one pass. */
#define SUM_TERMS 4

WIDE_LOOPS static PyObject *
k_decide_sum(PyObject *self, PyObject *args)
{
    int op;
    PyObject *terms_obj, *signs_obj, *reach_obj[2], *out_obj;
    if (!PyArg_ParseTuple(args, "iO!O!OOO", &op, &PyTuple_Type, &terms_obj, &PyTuple_Type, &signs_obj,
                          &reach_obj[0], &reach_obj[1], &out_obj))
        return NULL;
    Py_ssize_t k = PyTuple_GET_SIZE(terms_obj);
    if (k < 1 || k > SUM_TERMS || PyTuple_GET_SIZE(signs_obj) != k) {
        PyErr_SetString(PyExc_ValueError, "terms: 1 to 4 arrays, and a sign for each");
        return NULL;
    }
    Py_buffer out;
    if (outcome_get(op, out_obj, &out) < 0)
        return NULL;
    Py_ssize_t n = out.len;
    Ints vals[SUM_TERMS + 2];
    for (int s = 0; s < SUM_TERMS + 2; s++)
        vals[s].data = NULL;
    /* a term's sign as a mask: (x ^ m) - m is x (m 0) or -x (m -1), with no multiplication */
    int64_t mask[SUM_TERMS] = {0, 0, 0, 0}, reach[2] = {0, 0};
    const int64_t *term[SUM_TERMS] = {NULL, NULL, NULL, NULL};
    for (Py_ssize_t t = 0; t < k; t++) {
        long sign = PyLong_AsLong(PyTuple_GET_ITEM(signs_obj, t));
        if (sign == -1 && PyErr_Occurred())
            goto fail;
        if (sign != 1 && sign != -1) {
            PyErr_SetString(PyExc_ValueError, "signs: +1 or -1");
            goto fail;
        }
        mask[t] = sign < 0 ? -1 : 0;
        PyObject *item = PyTuple_GET_ITEM(terms_obj, t);
        if (PyLong_Check(item)) {
            PyErr_SetString(PyExc_ValueError, "terms: int64 arrays");
            goto fail;
        }
        if (operand_get(item, &vals[t], &reach[0], n, &out, "terms") < 0)
            goto fail;
        term[t] = vals[t].data;
    }
    if (operand_get(reach_obj[0], &vals[SUM_TERMS], &reach[0], n, &out, "low") < 0 ||
        operand_get(reach_obj[1], &vals[SUM_TERMS + 1], &reach[1], n, &out, "high") < 0)
        goto fail;
    {
        int8_t *restrict o = (int8_t *)out.buf;
        const int64_t *restrict T0 = term[0], *restrict T1 = term[1], *restrict T2 = term[2], *restrict T3 = term[3];
        const int64_t M0 = mask[0], M1 = mask[1], M2 = mask[2], M3 = mask[3];
        const int64_t *restrict LO = vals[SUM_TERMS].data, *restrict HI = vals[SUM_TERMS + 1].data;
        const int64_t low0 = reach[0], high0 = reach[1];
        const int scalar_reach = LO == NULL && HI == NULL;
#define TERM(T, M) ((T[i] ^ M) - M)
#define SUM_EACH(D, LX, HX, OUTCOME) \
        for (Py_ssize_t i = 0; i < n; i++) { \
            int64_t x = (D), low = (LX), high = (HX); \
            (void)low; (void)high; \
            o[i] = (int8_t)(OUTCOME); \
        }
#define SUM_OPS(D, LX, HX) \
        switch (op) { \
        case 0: SUM_EACH(D, LX, HX, ((x < 0 ? -x : x) != 0) + ((x < 0 ? -x : x) > low)); break; \
        case 1: SUM_EACH(D, LX, HX, 2 * (x == 0)); break; \
        case 2: SUM_EACH(D, LX, HX, (x >= 0) + (x >= high)); break; \
        case 3: SUM_EACH(D, LX, HX, (x > 0) + (x > low)); break; \
        case 4: SUM_EACH(D, LX, HX, (x <= 0) + (x <= -high)); break; \
        default: SUM_EACH(D, LX, HX, (x < 0) + (x < -low)); break; \
        }
#define SUM_REACH(D) \
        if (scalar_reach) \
            SUM_OPS(D, low0, high0) \
        else \
            SUM_OPS(D, LO ? LO[i] : low0, HI ? HI[i] : high0)
        switch (k) {   /* one loop per count of terms, operator and shape of the reach: vectorised */
        case 1: SUM_REACH(TERM(T0, M0)); break;
        case 2: SUM_REACH(TERM(T0, M0) + TERM(T1, M1)); break;
        case 3: SUM_REACH(TERM(T0, M0) + TERM(T1, M1) + TERM(T2, M2)); break;
        default: SUM_REACH(TERM(T0, M0) + TERM(T1, M1) + TERM(T2, M2) + TERM(T3, M3)); break;
        }
#undef SUM_REACH
#undef SUM_OPS
#undef SUM_EACH
#undef TERM
    }
    ints_release(vals, SUM_TERMS + 2);
    PyBuffer_Release(&out);
    Py_RETURN_NONE;
fail:
    ints_release(vals, SUM_TERMS + 2);
    PyBuffer_Release(&out);
    return NULL;
}
