/* fiscalrules._cparse: the terminals' matcher (the module's overview: _cparse.c).
 *
 * A terminal's regular expression as a program (lalr_lexer.program: characters and sets, groups,
 * ordered alternatives, greedy repeats of what cannot match the empty text, a one-character
 * look-behind), matched by backtracking in re's order -- alternatives first to last, repeats
 * longest first -- so the first match found is the one re finds.  A match needing more than
 * MAX_FRAMES nested steps (a text literal of about a hundred characters or more) gives up, and
 * the loop asks re.  The cap bounds the C stack a match takes (~220 bytes a step: ~45 KB), so
 * that a thread with a small stack (threading.stack_size) cannot overflow it: at 2,000 steps a
 * 950-character literal took ~450 KB and killed a thread of 256 KB (review A1).  It bounds the
 * depth, not the work: each terminal's program is matched from one position only. */

#include "_cparse.h"

#define MAX_FRAMES 200

enum { N_CHAR = 0, N_BEHIND = 1, N_ALT = 2, N_REPEAT = 3 };

typedef struct Seq Seq;
typedef struct {
    int kind, negate, n_ranges;   /* n_ranges: pairs */
    Py_UCS4 *ranges;
    int n_alts;
    Seq *alts;
    long min, max;                /* max -1: no limit */
    Seq *body;
    int one_char;                 /* a repeat of one character set */
} Node;
struct Seq { int n; Node *nodes; };

static void free_seq(Seq *seq) {
    for (int i = 0; i < seq->n; i++) {
        Node *node = &seq->nodes[i];
        PyMem_Free(node->ranges);
        if (node->alts) {
            for (int j = 0; j < node->n_alts; j++) free_seq(&node->alts[j]);
            PyMem_Free(node->alts);
        }
        if (node->body) { free_seq(node->body); PyMem_Free(node->body); }
    }
    PyMem_Free(seq->nodes);
    seq->nodes = NULL;
    seq->n = 0;
}

static int compile_seq(PyObject *items, Seq *out);

static int compile_node(PyObject *t, Node *node) {
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) < 2) { PyErr_SetString(PyExc_ValueError, "program"); return -1; }
    long kind = PyLong_AsLong(PyTuple_GET_ITEM(t, 0));
    if (kind == -1 && PyErr_Occurred()) return -1;
    node->kind = (int)kind;
    if (kind == N_CHAR || kind == N_BEHIND) {
        PyObject *ranges;
        if (!PyArg_ParseTuple(t, "iiO!", &node->kind, &node->negate, &PyTuple_Type, &ranges)) return -1;
        Py_ssize_t n = PyTuple_GET_SIZE(ranges);
        node->n_ranges = (int)(n / 2);
        node->ranges = PyMem_Malloc(sizeof(Py_UCS4) * (n ? n : 1));
        if (!node->ranges) { PyErr_NoMemory(); return -1; }
        for (Py_ssize_t i = 0; i < n; i++) {
            long v = PyLong_AsLong(PyTuple_GET_ITEM(ranges, i));
            if (v == -1 && PyErr_Occurred()) return -1;
            node->ranges[i] = (Py_UCS4)v;
        }
        return 0;
    }
    if (kind == N_ALT) {
        PyObject *alts;
        if (!PyArg_ParseTuple(t, "iO!", &node->kind, &PyTuple_Type, &alts)) return -1;
        node->n_alts = (int)PyTuple_GET_SIZE(alts);
        node->alts = PyMem_Calloc(node->n_alts ? node->n_alts : 1, sizeof(Seq));
        if (!node->alts) { PyErr_NoMemory(); return -1; }
        for (int j = 0; j < node->n_alts; j++)
            if (compile_seq(PyTuple_GET_ITEM(alts, j), &node->alts[j]) < 0) return -1;
        return 0;
    }
    if (kind == N_REPEAT) {
        PyObject *body;
        if (!PyArg_ParseTuple(t, "illO!", &node->kind, &node->min, &node->max, &PyTuple_Type, &body)) return -1;
        node->body = PyMem_Calloc(1, sizeof(Seq));
        if (!node->body) { PyErr_NoMemory(); return -1; }
        if (compile_seq(body, node->body) < 0) return -1;
        node->one_char = node->body->n == 1 && node->body->nodes[0].kind == N_CHAR;
        return 0;
    }
    PyErr_SetString(PyExc_ValueError, "program: unknown node");
    return -1;
}

static int compile_seq(PyObject *items, Seq *out) {
    if (!PyTuple_Check(items)) { PyErr_SetString(PyExc_ValueError, "program: a sequence is a tuple"); return -1; }
    out->n = (int)PyTuple_GET_SIZE(items);
    out->nodes = PyMem_Calloc(out->n ? out->n : 1, sizeof(Node));
    if (!out->nodes) { PyErr_NoMemory(); return -1; }
    for (int i = 0; i < out->n; i++)
        if (compile_node(PyTuple_GET_ITEM(items, i), &out->nodes[i]) < 0) return -1;
    return 0;
}

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
    int frames;
} Text;

/* what is left to match once a sequence is done: the rest of an enclosing sequence, or (after an
 * iteration of a repeat) the repeat again */
typedef struct Cont {
    const Seq *seq;
    int i;
    const Node *repeat;
    long count;
    const struct Cont *next;
} Cont;

static inline int in_ranges(const Node *node, Py_UCS4 c) {
    for (int r = 0; r < node->n_ranges; r++)
        if (node->ranges[2 * r] <= c && c <= node->ranges[2 * r + 1]) return 1;
    return 0;
}

/* a character set: in its ranges, or (negate) not */
static inline int in_set(const Node *node, Py_UCS4 c) {
    return in_ranges(node, c) != node->negate;
}

static Py_ssize_t run(Text *t, const Seq *seq, int i, Py_ssize_t pos, const Cont *k);

static Py_ssize_t repeat_from(Text *t, const Node *r, long count, Py_ssize_t pos, const Cont *k) {
    if (r->max < 0 || count < r->max) {   /* one more iteration first (greedy) */
        Cont again = {NULL, 0, r, count + 1, k};
        Py_ssize_t e = run(t, r->body, 0, pos, &again);
        if (e != NO_MATCH) return e;
    }
    if (count < r->min) return NO_MATCH;
    if (!k) return pos;
    return run(t, k->seq, k->i, pos, k->next);
}

static Py_ssize_t run(Text *t, const Seq *seq, int i, Py_ssize_t pos, const Cont *k) {
    if (++t->frames > MAX_FRAMES) return TOO_DEEP;
    Py_ssize_t result;
    for (;;) {
        if (i == seq->n) {   /* this sequence done: what follows it */
            if (!k) { result = pos; break; }
            if (k->repeat) { result = repeat_from(t, k->repeat, k->count, pos, k->next); break; }
            seq = k->seq; i = k->i; k = k->next;
            continue;
        }
        const Node *node = &seq->nodes[i];
        if (node->kind == N_CHAR) {
            if (pos >= t->length || !in_set(node, PyUnicode_READ(t->kind, t->data, pos))) { result = NO_MATCH; break; }
            pos++; i++;
            continue;
        }
        if (node->kind == N_BEHIND) {
            /* the character before is in the ranges (a look-behind), or (negate: a negative one)
               there is none or it is not */
            int before = pos > 0 && in_ranges(node, PyUnicode_READ(t->kind, t->data, pos - 1));
            if (before == node->negate) { result = NO_MATCH; break; }
            i++;
            continue;
        }
        if (node->kind == N_ALT) {
            Cont rest = {seq, i + 1, NULL, 0, k};
            result = NO_MATCH;
            for (int j = 0; j < node->n_alts; j++) {
                result = run(t, &node->alts[j], 0, pos, &rest);
                if (result != NO_MATCH) break;
            }
            break;
        }
        /* N_REPEAT */
        if (node->one_char) {   /* as many as there are, then back off one at a time (re's REPEAT_ONE) */
            const Node *set = &node->body->nodes[0];
            Py_ssize_t n = 0;
            while (pos + n < t->length && (node->max < 0 || n < node->max) &&
                   in_set(set, PyUnicode_READ(t->kind, t->data, pos + n)))
                n++;
            result = NO_MATCH;
            for (; n >= node->min; n--) {
                result = run(t, seq, i + 1, pos + n, k);
                if (result != NO_MATCH) break;
            }
            break;
        }
        Cont rest = {seq, i + 1, NULL, 0, k};
        result = repeat_from(t, node, 0, pos, &rest);
        break;
    }
    t->frames--;
    return result;
}

/* the scanner of one state for one first character: its terminals' programs in lark's order,
 * and the alternation of them for re (a match too deep for the matcher) */
typedef struct {
    int n;
    PyObject **types;
    Seq *programs;
    PyObject *match;   /* bound `match` of the alternation */
} Scan;

static void free_scan(PyObject *capsule) {
    Scan *scan = PyCapsule_GetPointer(capsule, "fiscalrules._cparse.Scan");
    if (!scan) return;
    for (int i = 0; i < scan->n; i++) { Py_XDECREF(scan->types[i]); free_seq(&scan->programs[i]); }
    PyMem_Free(scan->types);
    PyMem_Free(scan->programs);
    Py_XDECREF(scan->match);
    PyMem_Free(scan);
}

/* Scan of (pattern, ((name, program), ...)) in a capsule */
static PyObject *make_scan(PyObject *pattern, PyObject *programs) {
    Scan *scan = PyMem_Calloc(1, sizeof(Scan));
    if (!scan) return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(scan, "fiscalrules._cparse.Scan", free_scan);
    if (!capsule) { PyMem_Free(scan); return NULL; }
    scan->match = PyObject_GetAttrString(pattern, "match");
    if (!scan->match) { Py_DECREF(capsule); return NULL; }
    if (!PyTuple_Check(programs)) { PyErr_SetString(PyExc_TypeError, "programs"); Py_DECREF(capsule); return NULL; }
    int n = (int)PyTuple_GET_SIZE(programs);
    scan->types = PyMem_Calloc(n ? n : 1, sizeof(PyObject *));
    scan->programs = PyMem_Calloc(n ? n : 1, sizeof(Seq));
    if (!scan->types || !scan->programs) { Py_DECREF(capsule); return PyErr_NoMemory(); }
    scan->n = n;
    for (int i = 0; i < n; i++) {
        PyObject *name, *program;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(programs, i), "UO", &name, &program) ||
            compile_seq(program, &scan->programs[i]) < 0) { Py_DECREF(capsule); return NULL; }
        Py_INCREF(name);
        PyUnicode_InternInPlace(&name);
        scan->types[i] = name;
    }
    return capsule;
}

/* The first of a Scan's terminals (in lark's order) whose program matches at the cursor, as the
 * first match wins in re's alternation: where it ends, with *type (a new reference) the terminal;
 * NO_MATCH where none does; TOO_DEEP where one runs too deep, with *re_match (borrowed) the bound
 * `match` of the alternation, for re to decide */
static Py_ssize_t scan_terminals(PyObject *capsule, const Cursor *x, PyObject **type, PyObject **re_match) {
    Scan *scan = PyCapsule_GetPointer(capsule, "fiscalrules._cparse.Scan");
    Text t = {x->kind, x->data, x->length, 0};
    Py_ssize_t end = NO_MATCH;
    for (int j = 0; j < scan->n && end == NO_MATCH; j++) {
        end = run(&t, &scan->programs[j], 0, x->pos, NULL);
        if (end >= 0) { *type = scan->types[j]; Py_INCREF(*type); return end; }
    }
    if (end == TOO_DEEP) *re_match = scan->match;
    return end;
}

/* match_program(program, text, pos): where the program's match at pos ends, -1 for none, -2 too
 * deep (tests compare it with re) */
static PyObject *match_program(PyObject *module, PyObject *args) {
    PyObject *program, *text;
    Py_ssize_t pos;
    if (!PyArg_ParseTuple(args, "OUn", &program, &text, &pos)) return NULL;
    Seq seq = {0};
    if (compile_seq(program, &seq) < 0) { free_seq(&seq); return NULL; }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), 0};
    Py_ssize_t end = (pos < 0 || pos > t.length) ? NO_MATCH : run(&t, &seq, 0, pos, NULL);
    free_seq(&seq);
    return PyLong_FromSsize_t(end);
}
