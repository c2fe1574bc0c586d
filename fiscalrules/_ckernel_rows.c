/* rows_program: a rule's filter and body over a table's rows, as a small program run in ONE pass
 * (included by _ckernel.c; fiscalrules.columnar.rowprog writes the programs, per chunk).
 *
 * A `for each r in T.rows where F: B` whose F and B are arithmetic, comparisons, `present`,
 * `abs`, `and` / `or` / `if … then` / `not` over the row's own cells, constants and per-record
 * values costs numpy ~50 whole-column passes (a temporary each); here the rows are taken a block
 * at a time and every instruction runs over the block, so the operands stay in the cache and
 * the dispatch is paid once per block and instruction, not per row.
 *
 * Values are those of fiscalrules.columnar.arith: a number is a point and its interval bounds
 * (pt, lo, hi: int64 at an exponent the program's writer chose; symmetric halves are loaded as
 * bounds) and a stop (bit 0 missing, bit 1 error); a condition is an outcome (0 EXACT, 1
 * ROUNDING, 2 FAIL) in pt and a stop.  The writer has checked every bound (|value| < 2**62 as
 * arith's Num.bound, a quotient's cross-products too): the loops compute in int64, a comparison
 * whose slack could pass it in __int128.  A stop combines as
 * vectors.seq does (the first operand that stops decides), and/or/if-then/not as logic.py's
 * kernels, a comparison as values.decide, a quotient's comparison as arith.decide_quotient
 * (cross-multiplied; the rows where a bound is met exactly are flagged for the per-record engine). */

#define RP_BLOCK 256

enum {
    RP_LDC, RP_LD, RP_LDB, RP_LDO, RP_SCALE, RP_ADD, RP_SUB, RP_MUL, RP_NEG, RP_ABS, RP_CMP, RP_AND, RP_OR,
    RP_IMPLIES, RP_NOT, RP_PRESENT, RP_QCMP, RP_FINAL, RP_OPS
};
/* the operands of each instruction (its slot first) */
static const int rp_nargs[RP_OPS] = {4, 7, 4, 4, 2, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1, 1, 8, 2};
/* how many slots from its own an instruction reads (a binary one: s and s + 1) */
static const int rp_reach[RP_OPS] = {1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2, 2, 1, 1, 3, 1};

typedef struct {
    int64_t *pt, *lo, *hi;
    uint8_t *st;
} RpSlot;

typedef __int128 rp_wide;

/* x − a × k / b up to a positive factor (decide_quotient's versus()), in T */
#define RP_VERSUS(T, x, a, b, negative) \
    ((negative) ? -((T)(x) * (b) * xf - (T)(a) * k * yf) : ((T)(x) * (b) * xf - (T)(a) * k * yf))

/* (below, touch) of x against the quotient's upper (top) or lower bound, as bound_tests() */
#define RP_BOUND_TESTS(T, x, top, below, touch) do { \
    if (k > 0) { \
        int64_t a_ = (top) ? nh : nl; \
        if (dneg) \
            a_ = (top) ? nl : nh; \
        int64_t b_ = a_ >= 0 ? ((top) ? d0 : d1) : ((top) ? d1 : d0); \
        T t_ = RP_VERSUS(T, x, a_, b_, dneg); \
        if (!(top)) \
            t_ = -t_; \
        below = t_ < 0; \
        touch = t_ == 0; \
    } else { \
        int bl_ = 0, tc_ = 0; \
        int64_t as_[2] = {nl, nh}, bs_[2] = {d0, d1}; \
        for (int i_ = 0; i_ < 2; i_++) \
            for (int j_ = 0; j_ < 2; j_++) { \
                T t_ = RP_VERSUS(T, x, as_[i_], bs_[j_], dneg); \
                if (!(top)) \
                    t_ = -t_; \
                bl_ |= t_ < 0; \
                tc_ |= t_ == 0; \
            } \
        below = bl_; \
        touch = tc_ & !bl_; \
    } \
} while (0)

/* L op N × k / D per row of the block (L at slot x, N at y, D at z), in T */
#define RP_QCMP_LOOP(T) \
    for (Py_ssize_t j = 0; j < b; j++) { \
        int64_t np_ = y->pt[j], nl = y->lo[j], nh = y->hi[j], dp = z->pt[j], dl = z->lo[j], dh = z->hi[j]; \
        uint8_t qs = y->st[j] ? y->st[j] : z->st[j]; \
        if (!qs && dp == 0) \
            qs = 2; \
        uint8_t st = quotient_first ? (qs ? qs : S[j]) : (S[j] ? S[j] : qs); \
        int unb = dl <= 0 && dh >= 0; \
        int64_t d0 = unb ? 1 : dl, d1 = unb ? 1 : dh; \
        int dneg = d0 < 0; \
        int64_t pd = dp == 0 ? 1 : dp; \
        T point = RP_VERSUS(T, P[j], np_, pd, pd < 0); \
        int holds, near = 0, t = 0, below = 0, touch = 0, above = 0, meets = 0; \
        if (qop == 1) { \
            holds = point != 0; \
            t = point == 0 && !smooth; \
            unb = 0; \
        } else if (qop == 0) { \
            RP_BOUND_TESTS(T, L[j] - extra, 1, below, touch); \
            RP_BOUND_TESTS(T, H[j] + extra, 0, above, meets); \
            holds = point == 0; \
            near = point > 0 ? (below | touch) : (above | meets); \
            t = ((point > 0 ? touch : meets) && !holds && !unb) || (holds && !smooth); \
        } else if (qop == 2 || qop == 3) { \
            RP_BOUND_TESTS(T, L[j] - extra, 1, below, touch); \
            holds = qop == 2 ? point < 0 : point <= 0; \
            near = qop == 2 ? below : (below | touch); \
            t = (point == 0 || (touch && !unb)) && !smooth; \
        } else { \
            RP_BOUND_TESTS(T, H[j] + extra, 0, above, meets); \
            holds = qop == 4 ? point > 0 : point >= 0; \
            near = qop == 4 ? above : (above | meets); \
            t = (point == 0 || (meets && !unb)) && !smooth; \
        } \
        P[j] = holds ? 0 : ((near || unb) ? 1 : 2); \
        S[j] = st; \
        if (t && !st) \
            tie[j] |= flag; \
    }

/* a comparison of numbers per row of the block (values.decide), in T; OUTCOME given d = x − y */
#define RP_CMP_LOOP(T, OUTCOME) \
    for (Py_ssize_t j = 0; j < b; j++) { \
        T d = (T)P[j] - Y[j]; \
        T xl = L[j], xh = H[j], xp = P[j], yl = YL[j], yh = YH[j], yp = Y[j]; \
        (void)xl; (void)xh; (void)xp; (void)yl; (void)yh; (void)yp; \
        P[j] = (OUTCOME); \
    }
/* (the outcome as a count of the tests failed, as arith._count: the point, then the interval's
 * reach -- failing the wide test implies failing the point test, the tolerance being >= 0) */
#define RP_CMP_OPS(T) \
    switch (cop) { \
    case 0: RP_CMP_LOOP(T, (d != 0) + ((d < 0 ? -d : d) > (d >= 0 ? (xp - xl) + (yh - yp) : (xh - xp) + (yp - yl)) \
                                                          + (T)extra)) break; \
    case 1: RP_CMP_LOOP(T, 2 * (d == 0)) break; \
    case 2: RP_CMP_LOOP(T, (d >= 0) + (xl >= yh + (T)extra)) break; \
    case 3: RP_CMP_LOOP(T, (d > 0) + (xl > yh + (T)extra)) break; \
    case 4: RP_CMP_LOOP(T, (d <= 0) + (xh <= yl - (T)extra)) break; \
    default: RP_CMP_LOOP(T, (d < 0) + (xh < yl - (T)extra)) break; \
    }

/* and / or / if-then of two conditions with their stops, as logic.py's kernel */
#define RP_LOGIC_LOOP(X_ON, Y_DECIDES, OUTCOME) \
    for (Py_ssize_t j = 0; j < b; j++) { \
        int64_t x = P[j], yv = Y[j]; \
        uint8_t xm = S[j] & 1, xe = S[j] >> 1, ym = YS[j] & 1, ye = YS[j] >> 1; \
        uint8_t x_ok = !(xm | xe), y_ok = !(ym | ye); \
        uint8_t x_on = (X_ON), y_decides = (Y_DECIDES); \
        uint8_t e = xe | (xm & ye) | (x_on & ye); \
        uint8_t mm = (xm & !y_decides & !ye) | (x_on & ym); \
        P[j] = (OUTCOME); \
        S[j] = (uint8_t)(mm | (e << 1)); \
    }

typedef struct {
    Py_buffer view;
    int kind;        /* 8: int64, 1: a byte (int8 or bool) */
} RpInput;

/* The loops of the instructions below, as functions whose restrict parameters tell the compiler
 * that a slot's arrays and another's do not overlap (restrict on pointers declared in a block
 * it does not act on): so that it vectorizes them without a check of every pair at run time --
 * which it gave up on for the loops reading six arrays, ADD and CMP. */

/* y's stop merged into x's: the first operand that stops decides (vectors.seq) */
static inline void
rp_merge_stops(uint8_t *restrict S, const uint8_t *restrict YS, Py_ssize_t b)
{
    for (Py_ssize_t j = 0; j < b; j++) {
        uint8_t s = S[j];
        S[j] = (uint8_t)(s | (YS[j] & (uint8_t)-(s == 0)));
    }
}

/* a leaf's stops: bit 0 missing, bit 1 error */
static inline void
rp_load_stops(uint8_t *restrict S, const uint8_t *restrict mi, const uint8_t *restrict er, Py_ssize_t b)
{
    if (mi != NULL && er != NULL)
        for (Py_ssize_t j = 0; j < b; j++)
            S[j] = (uint8_t)((mi[j] != 0) | ((er[j] != 0) << 1));
    else if (mi != NULL)
        for (Py_ssize_t j = 0; j < b; j++)
            S[j] = mi[j] != 0;
    else if (er != NULL)
        for (Py_ssize_t j = 0; j < b; j++)
            S[j] = (uint8_t)((er[j] != 0) << 1);
    else
        memset(S, 0, (size_t)b);
}

/* A leaf's points (times f) and bounds (its halves times h, or the half h).  A stopped row's
 * integers are read as 0: a missing or refused cell holds no figure (its integer is whatever
 * the reading left there), and f times it could pass int64 -- undefined behaviour in C even
 * where the result is not used.  (The writer checked the bounds of the rows that are figures.) */
static inline void
rp_load(int64_t *restrict P, int64_t *restrict L, int64_t *restrict H, const uint8_t *restrict S,
        const int64_t *restrict v, const int64_t *restrict hv, int64_t f, int64_t h, int stops, Py_ssize_t b)
{
    if (!stops && f == 1 && hv == NULL)
        for (Py_ssize_t j = 0; j < b; j++) {
            int64_t w = v[j];
            P[j] = w; L[j] = w - h; H[j] = w + h;
        }
    else if (!stops && hv == NULL)
        for (Py_ssize_t j = 0; j < b; j++) {
            int64_t w = v[j] * f;
            P[j] = w; L[j] = w - h; H[j] = w + h;
        }
    else if (!stops)
        for (Py_ssize_t j = 0; j < b; j++) {
            int64_t w = v[j] * f, hw = hv[j] * h;
            P[j] = w; L[j] = w - hw; H[j] = w + hw;
        }
    else if (hv == NULL)
        for (Py_ssize_t j = 0; j < b; j++) {
            int64_t w = (v[j] & -(int64_t)(S[j] == 0)) * f;
            P[j] = w; L[j] = w - h; H[j] = w + h;
        }
    else
        for (Py_ssize_t j = 0; j < b; j++) {
            int64_t keep = -(int64_t)(S[j] == 0);
            int64_t w = (v[j] & keep) * f, hw = (hv[j] & keep) * h;
            P[j] = w; L[j] = w - hw; H[j] = w + hw;
        }
}

/* a leaf's own bounds (times f), a stopped row's read as 0 (as rp_load: the slot's stops are the leaf's) */
static inline void
rp_load_bounds(int64_t *restrict L, int64_t *restrict H, const uint8_t *restrict S, const int64_t *restrict lo,
               const int64_t *restrict hi, int64_t f, Py_ssize_t b)
{
    for (Py_ssize_t j = 0; j < b; j++) {
        int64_t keep = -(int64_t)(S[j] == 0);
        L[j] = (lo[j] & keep) * f; H[j] = (hi[j] & keep) * f;
    }
}

static inline void
rp_add(int64_t *restrict P, int64_t *restrict L, int64_t *restrict H, const int64_t *restrict Y,
       const int64_t *restrict YL, const int64_t *restrict YH, Py_ssize_t b)
{
    for (Py_ssize_t j = 0; j < b; j++) {
        P[j] += Y[j]; L[j] += YL[j]; H[j] += YH[j];
    }
}

static inline void
rp_sub(int64_t *restrict P, int64_t *restrict L, int64_t *restrict H, const int64_t *restrict Y,
       const int64_t *restrict YL, const int64_t *restrict YH, Py_ssize_t b)
{
    for (Py_ssize_t j = 0; j < b; j++) {
        int64_t lo = L[j] - YH[j], hi = H[j] - YL[j];
        P[j] -= Y[j]; L[j] = lo; H[j] = hi;
    }
}

static inline void
rp_mul(int64_t *restrict P, int64_t *restrict L, int64_t *restrict H, const int64_t *restrict Y,
       const int64_t *restrict YL, const int64_t *restrict YH, Py_ssize_t b)
{
    for (Py_ssize_t j = 0; j < b; j++) {
        int64_t c1 = L[j] * YL[j], c2 = L[j] * YH[j], c3 = H[j] * YL[j], c4 = H[j] * YH[j];
        int64_t lo = c1 < c2 ? c1 : c2, hi = c1 < c2 ? c2 : c1;
        lo = c3 < lo ? c3 : lo;
        hi = c3 > hi ? c3 : hi;
        lo = c4 < lo ? c4 : lo;
        hi = c4 > hi ? c4 : hi;
        P[j] *= Y[j]; L[j] = lo; H[j] = hi;
    }
}

/* each row's status: its body's (a stop: 4 not_evaluable, 5 error -- an error wins), or the
 * filter's stop, or -1 where the filter (slot FP, FS) does not keep it */
static inline void
rp_final_kept(int8_t *restrict codes, const int64_t *restrict P, const uint8_t *restrict S, const int64_t *restrict FP,
              const uint8_t *restrict FS, Py_ssize_t b)
{
    for (Py_ssize_t j = 0; j < b; j++) {
        int8_t body = S[j] ? (int8_t)(4 + (S[j] >> 1)) : (int8_t)P[j];
        uint8_t fs = FS[j];
        int8_t kept = FP[j] != 2 ? body : (int8_t)-1;
        codes[j] = fs ? (int8_t)(4 + (fs >> 1)) : kept;
    }
}

static inline void
rp_final(int8_t *restrict codes, const int64_t *restrict P, const uint8_t *restrict S, Py_ssize_t b)
{
    for (Py_ssize_t j = 0; j < b; j++)
        codes[j] = S[j] ? (int8_t)(4 + (S[j] >> 1)) : (int8_t)P[j];
}

/* a comparison's outcome per row, in int64 (its differences fit) or __int128 */
static inline void
rp_compare64(int64_t *restrict P, const int64_t *restrict L, const int64_t *restrict H, const int64_t *restrict Y,
             const int64_t *restrict YL, const int64_t *restrict YH, int cop, int64_t extra, Py_ssize_t b)
{
    RP_CMP_OPS(int64_t)
}

static inline void
rp_compare128(int64_t *restrict P, const int64_t *restrict L, const int64_t *restrict H, const int64_t *restrict Y,
              const int64_t *restrict YL, const int64_t *restrict YH, int cop, int64_t extra, Py_ssize_t b)
{
    RP_CMP_OPS(rp_wide)
}

/* One block of rows [start, start + b) through the program (built for AVX2 too, where
 * WIDE_LOOPS says: its loops compare int64s). */
WIDE_LOOPS static void
rp_block(const int64_t *pc, Py_ssize_t len, const RpInput *in, RpSlot *slots, Py_ssize_t start, Py_ssize_t b,
         int8_t *codes, uint8_t *ties, Py_ssize_t *flagged)
{
    uint8_t tie[RP_BLOCK];
    memset(tie, 0, sizeof tie);
    for (Py_ssize_t i = 0; i < len;) {
        int64_t op = pc[i];
        const int64_t *a = pc + i + 1;
        i += 1 + rp_nargs[op];
        RpSlot *x = &slots[a[0]], *y = x + 1, *z = x + 2;
        int64_t *restrict P = x->pt, *restrict L = x->lo, *restrict H = x->hi;
        uint8_t *restrict S = x->st;
        switch (op) {
        case RP_LDC:
            for (Py_ssize_t j = 0; j < b; j++) {
                P[j] = a[1]; L[j] = a[2]; H[j] = a[3]; S[j] = 0;
            }
            break;
        case RP_LD: {   /* s, points, their factor, halves (or -1), the half's factor (or the half), miss, err */
            const int64_t *v = (const int64_t *)in[a[1]].view.buf + start;
            const int64_t *hv = a[3] >= 0 ? (const int64_t *)in[a[3]].view.buf + start : NULL;
            const uint8_t *mi = a[5] >= 0 ? (const uint8_t *)in[a[5]].view.buf + start : NULL;
            const uint8_t *er = a[6] >= 0 ? (const uint8_t *)in[a[6]].view.buf + start : NULL;
            rp_load_stops(S, mi, er, b);
            rp_load(P, L, H, S, v, hv, a[2], a[4], mi != NULL || er != NULL, b);
            break;
        }
        case RP_LDB:   /* s, the leaf's lower and upper bounds, their factor (after the leaf's RP_LD) */
            rp_load_bounds(L, H, S, (const int64_t *)in[a[1]].view.buf + start,
                           (const int64_t *)in[a[2]].view.buf + start, a[3], b);
            break;
        case RP_LDO: {
            const int8_t *restrict v = (const int8_t *)in[a[1]].view.buf + start;
            const uint8_t *restrict mi = a[2] >= 0 ? (const uint8_t *)in[a[2]].view.buf + start : NULL;
            const uint8_t *restrict er = a[3] >= 0 ? (const uint8_t *)in[a[3]].view.buf + start : NULL;
            for (Py_ssize_t j = 0; j < b; j++)
                P[j] = v[j];
            rp_load_stops(S, mi, er, b);
            break;
        }
        case RP_SCALE:
            for (Py_ssize_t j = 0; j < b; j++) {
                P[j] *= a[1]; L[j] *= a[1]; H[j] *= a[1];
            }
            break;
        case RP_ADD: case RP_SUB: case RP_MUL:
            if (op == RP_ADD)
                rp_add(P, L, H, y->pt, y->lo, y->hi, b);
            else if (op == RP_SUB)
                rp_sub(P, L, H, y->pt, y->lo, y->hi, b);
            else
                rp_mul(P, L, H, y->pt, y->lo, y->hi, b);
            rp_merge_stops(S, y->st, b);
            break;
        case RP_NEG:
            for (Py_ssize_t j = 0; j < b; j++) {
                int64_t lo = -H[j];
                P[j] = -P[j]; H[j] = -L[j]; L[j] = lo;
            }
            break;
        case RP_ABS:
            for (Py_ssize_t j = 0; j < b; j++) {
                int64_t lo = L[j], hi = H[j];
                P[j] = P[j] < 0 ? -P[j] : P[j];
                L[j] = lo >= 0 ? lo : (hi <= 0 ? -hi : 0);
                H[j] = lo >= 0 ? hi : (hi <= 0 ? -lo : (-lo > hi ? -lo : hi));
            }
            break;
        case RP_CMP:   /* s, the operator, the tolerance, whether the differences need 128 bits */
            if (a[3])
                rp_compare128(P, L, H, y->pt, y->lo, y->hi, (int)a[1], a[2], b);
            else
                rp_compare64(P, L, H, y->pt, y->lo, y->hi, (int)a[1], a[2], b);
            rp_merge_stops(S, y->st, b);
            break;
        case RP_AND: case RP_OR: case RP_IMPLIES: {
            const int64_t *restrict Y = y->pt;
            const uint8_t *restrict YS = y->st;
            if (op == RP_AND)
                RP_LOGIC_LOOP(x_ok & (x != 2), y_ok & (yv == 2), x > yv ? x : yv)
            else if (op == RP_OR)
                RP_LOGIC_LOOP(x_ok & (x != 0), y_ok & (yv != 2), xm ? yv : (x < yv ? x : yv))
            else
                RP_LOGIC_LOOP(x_ok & (x != 2), y_ok & (yv != 2), (x_ok & (x == 2)) ? 0 : yv)
            break;
        }
        case RP_NOT:
            for (Py_ssize_t j = 0; j < b; j++)
                P[j] = 2 - P[j];
            break;
        case RP_PRESENT:
            for (Py_ssize_t j = 0; j < b; j++) {
                P[j] = (S[j] & 1) ? 2 : 0;
                S[j] &= 2;
            }
            break;
        case RP_QCMP: {
            /* s (L; N at s + 1, D at s + 2), the operator, k, the tolerance at L's exponent, xf, yf,
             * whether 1/k terminates, flags: the part (1 filter, 2 body), 4 the quotient first
             * (the writer has checked that every cross-product fits in int64: a row past it goes
             * to the per-record engine on the numpy path, largerows.py) */
            int qop = (int)a[1];
            int64_t k = a[2], extra = a[3], xf = a[4], yf = a[5];
            int smooth = a[6] != 0, quotient_first = (a[7] & 4) != 0;
            uint8_t flag = (uint8_t)(a[7] & 3);
            RP_QCMP_LOOP(int64_t)
            break;
        }
        case RP_FINAL:
            if (a[1] >= 0)
                rp_final_kept(codes + start, P, S, slots[a[1]].pt, slots[a[1]].st, b);
            else
                rp_final(codes + start, P, S, b);
            if (ties != NULL) {
                const int64_t *fp = a[1] >= 0 ? slots[a[1]].pt : NULL;
                const uint8_t *fs = a[1] >= 0 ? slots[a[1]].st : NULL;
                Py_ssize_t count = 0;
                for (Py_ssize_t j = 0; j < b; j++) {
                    /* (a row the filter did not keep, or stopped at: its body's ties do not count) */
                    int kept = fp == NULL || (!fs[j] && fp[j] != 2);
                    uint8_t on = (tie[j] & 1) | ((tie[j] >> 1) & kept);
                    ties[start + j] = on;
                    count += on;
                }
                *flagged += count;
            }
            break;
        }
    }
}

/* rows_program(code, inputs, depth, codes, ties) -> the number of rows flagged in ties.
 *
 * code: int64 instructions (an opcode, then its operands: rp_nargs); inputs: a tuple of arrays
 * of the rows (int64, int8 or bool, each as long as codes); depth: the slots the program uses;
 * codes (int8, written): per row -1 (the filter does not keep it), else its finding's status
 * (0 pass, 1 pass_rounding, 2 fail, 4 not_evaluable, 5 error); ties (bool, written, or None):
 * the rows a quotient's comparison could not decide. */
static PyObject *
k_rows_program(PyObject *self, PyObject *args)
{
    PyObject *code_obj, *inputs_obj, *codes_obj, *ties_obj;
    Py_ssize_t depth;
    if (!PyArg_ParseTuple(args, "OO!nOO", &code_obj, &PyTuple_Type, &inputs_obj, &depth, &codes_obj, &ties_obj))
        return NULL;
    Ints code;
    if (ints_get(code_obj, &code, 0, "code") < 0)
        return NULL;
    PyObject *result = NULL;
    Py_buffer cv, tv;
    cv.buf = tv.buf = NULL;
    Py_ssize_t n_in = PyTuple_GET_SIZE(inputs_obj), got = 0;
    RpInput *in = (RpInput *)PyMem_Calloc((size_t)(n_in ? n_in : 1), sizeof(RpInput));
    char *slab = NULL;
    RpSlot *slots = NULL;
    int64_t *program = NULL;
    if (in == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (bytes_get(codes_obj, &cv, 1, -1, "codes", "b") < 0)
        goto done;
    if (cv.buf == NULL) {
        PyErr_SetString(PyExc_TypeError, "codes: an array is needed");
        goto done;
    }
    Py_ssize_t m = cv.len;
    if (bytes_get(ties_obj, &tv, 1, m, "ties", "?") < 0)
        goto done;
    for (; got < n_in; got++) {
        RpInput *x = &in[got];
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(inputs_obj, got), &x->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
            goto done;
        const char *f = x->view.format ? x->view.format : "";
        if (x->view.itemsize == 8 && (strcmp(f, "l") == 0 || strcmp(f, "q") == 0 || strcmp(f, "<q") == 0 ||
                                       strcmp(f, "<l") == 0 || strcmp(f, "=q") == 0 || strcmp(f, "=l") == 0))
            x->kind = 8;
        else if (x->view.itemsize == 1 && (strcmp(f, "b") == 0 || strcmp(f, "?") == 0))
            x->kind = 1;
        else {
            got++;
            PyErr_SetString(PyExc_ValueError, "inputs: int64, int8 or bool arrays are needed");
            goto done;
        }
        if (x->view.len / x->view.itemsize != m || (x->kind == 8 && (uintptr_t)x->view.buf % _Alignof(int64_t))) {
            got++;
            PyErr_SetString(PyExc_ValueError, "inputs: arrays of the rows' length (aligned) are needed");
            goto done;
        }
        if (x->view.buf == cv.buf || (tv.buf != NULL && overlapping(&x->view, &tv)) || overlapping(&x->view, &cv)) {
            got++;
            PyErr_SetString(PyExc_ValueError, "inputs: an input shares memory with an output");
            goto done;
        }
    }
    if (tv.buf != NULL && overlapping(&tv, &cv)) {
        PyErr_SetString(PyExc_ValueError, "ties shares memory with codes");
        goto done;
    }
    if (depth < 1 || depth > 64) {
        PyErr_SetString(PyExc_ValueError, "depth out of range");
        goto done;
    }
    /* the program copied before it is checked: the block loop reads it again for every block, and
       FINAL writes codes, which may share memory with the array given (checked once, then changed) */
    Py_ssize_t len = code.n;
    program = (int64_t *)PyMem_Malloc((size_t)(len ? len : 1) * sizeof(int64_t));
    if (program == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(program, code.data, (size_t)len * sizeof(int64_t));
    /* every instruction checked once: opcodes, slots, inputs and their kinds */
    const int64_t *pc = program;
    int finals = 0;
    for (Py_ssize_t i = 0; i < len;) {
        int64_t op = pc[i];
        if (op < 0 || op >= RP_OPS || i + 1 + rp_nargs[op] > len) {
            PyErr_SetString(PyExc_ValueError, "an instruction out of range");
            goto done;
        }
        const int64_t *a = pc + i + 1;
        if (a[0] < 0 || a[0] > depth - rp_reach[op]) {   /* (a[0] + reach would overflow for a huge a[0]) */
            PyErr_SetString(PyExc_ValueError, "a slot out of range");
            goto done;
        }
        int bad = 0;
#define RP_INPUT(J, KIND, NONE_OK) \
        bad |= (a[J] < 0) ? !(NONE_OK) : (a[J] >= n_in || in[a[J]].kind != (KIND));
        switch (op) {
        case RP_LD: RP_INPUT(1, 8, 0) RP_INPUT(3, 8, 1) RP_INPUT(5, 1, 1) RP_INPUT(6, 1, 1) break;
        case RP_LDB: RP_INPUT(1, 8, 0) RP_INPUT(2, 8, 0) break;
        case RP_LDO: RP_INPUT(1, 1, 0) RP_INPUT(2, 1, 1) RP_INPUT(3, 1, 1) break;
        case RP_CMP: bad |= a[1] < 0 || a[1] > 5; break;
        case RP_QCMP: bad |= a[1] < 0 || a[1] > 5 || a[2] == 0 || a[4] <= 0 || a[5] <= 0 || a[7] < 0 || a[7] > 7; break;
        case RP_FINAL: bad |= a[1] < -1 || a[1] >= depth; finals++; break;
        default: break;
        }
#undef RP_INPUT
        if (bad) {
            PyErr_SetString(PyExc_ValueError, "an operand out of range");
            goto done;
        }
        i += 1 + rp_nargs[op];
        if (op == RP_FINAL && i != len) {
            PyErr_SetString(PyExc_ValueError, "the final instruction is not the last");
            goto done;
        }
    }
    if (finals != 1) {
        PyErr_SetString(PyExc_ValueError, "a program ends with one final instruction");
        goto done;
    }
    slab = (char *)PyMem_Calloc((size_t)depth, RP_BLOCK * (3 * sizeof(int64_t) + 1));
    slots = (RpSlot *)PyMem_Calloc((size_t)depth, sizeof(RpSlot));
    if (slab == NULL || slots == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t s = 0; s < depth; s++) {
        char *base = slab + s * RP_BLOCK * (3 * sizeof(int64_t) + 1);
        slots[s].pt = (int64_t *)base;
        slots[s].lo = slots[s].pt + RP_BLOCK;
        slots[s].hi = slots[s].lo + RP_BLOCK;
        slots[s].st = (uint8_t *)(slots[s].hi + RP_BLOCK);
    }
    {
        Py_ssize_t flagged = 0;
        for (Py_ssize_t start = 0; start < m; start += RP_BLOCK)
            rp_block(pc, len, in, slots, start, m - start < RP_BLOCK ? m - start : RP_BLOCK, (int8_t *)cv.buf,
                     (uint8_t *)tv.buf, &flagged);
        result = PyLong_FromSsize_t(flagged);
    }
done:
    for (Py_ssize_t j = 0; j < got; j++)
        if (j < n_in && in != NULL && in[j].view.buf != NULL)
            PyBuffer_Release(&in[j].view);
    PyMem_Free(in);
    PyMem_Free(slab);
    PyMem_Free(slots);
    PyMem_Free(program);
    if (cv.buf != NULL)
        PyBuffer_Release(&cv);
    if (tv.buf != NULL)
        PyBuffer_Release(&tv);
    ints_release(&code, 1);
    return result;
}
