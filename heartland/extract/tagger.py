"""A NumPy inference of Baidu LAC's lexical-analysis network (word segmentation, part of
speech and the named-entity tags PER / ORG / LOC / TIME) over the weights the ``LAC``
2.1.2 sdist ships (Apache-2.0). Paddle is never imported, nor is ``LAC`` itself: the model
directory is found with ``importlib.util.find_spec("LAC")``.

The network (from the package's ``args.ini`` and parameter shapes):

    ids  --word_emb-->  128  --[fc -> GRU] x 2 directions, concatenated--> 256
         --[fc -> GRU] x 2 directions--> 256  --fc_4--> 49 emission scores
         --CRF Viterbi (crfw: start row, end row, transition matrix)--> tag ids

The input is mixed-granularity like LAC's reader: the text is first cut by a small
dictionary (``small_seg.dic``, fewest-words path), a cut word that is in the vocabulary
is one token, any other word is one token per character (full-width/traditional
characters mapped through ``q2b.dic``). A multi-character token's tag covers all its
characters.

GRU (paddle ``dynamic_gru``, ``origin_mode=False``): the input projection ``x`` (fc output,
3H) is laid out [update | reset | candidate]; the GRU bias is added to it; the weight buffer
is two blocks, the gate weights (H x 2H) then the candidate weights (H x H):

    u = sigmoid(x_u + h W_u);  r = sigmoid(x_r + h W_r)
    c = tanh(x_c + (r * h) W_c);  h' = (1 - u) * h + u * c
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import struct
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

PACKAGE = "LAC"
VERSION = "2.1.2"
REINSTALL = f"pip install --no-deps --no-build-isolation {PACKAGE}=={VERSION}"

#: Longest chunk (in characters) fed to the network: longer sentences are cut at a comma
#: (else hard) so the padded batch stays small and every time step is one matmul.
MAX_CHUNK = 100

_PARAMS = ["word_emb", "crfw"] + [f"fc_{i}.{p}_0" for i in range(5) for p in "wb"] + \
    [f"gru_{i}.{p}_0" for i in range(4) for p in "wb"]


class TaggerUnavailable(RuntimeError):
    """The LAC package or one of its model files is missing or unreadable."""


# --- paddle LoDTensor files -------------------------------------------------------------

_DTYPES = {0: np.bool_, 1: np.int16, 2: np.int32, 3: np.int64, 4: np.float16, 5: np.float32, 6: np.float64,
           20: np.uint8, 21: np.int8}


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = val = 0
    while True:
        b = buf[i]
        i += 1
        val |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return val, i


def _tensor_desc(buf: bytes) -> tuple[int, list[int]]:
    """Decode paddle's ``VarType.TensorDesc`` protobuf: field 1 data_type, field 2 dims."""
    i, dtype, dims = 0, None, []
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            val, i = _varint(buf, i)
            if field == 1:
                dtype = val
            elif field == 2:
                dims.append(val - (1 << 64) if val >= 1 << 63 else val)
        elif wire == 2:
            n, i = _varint(buf, i)
            if field == 2:  # packed dims
                j = i
                while j < i + n:
                    val, j = _varint(buf, j)
                    dims.append(val - (1 << 64) if val >= 1 << 63 else val)
            i += n
        elif wire == 5:
            i += 4
        elif wire == 1:
            i += 8
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    if dtype is None:
        raise ValueError("tensor description without a data type")
    return dtype, dims


def read_lod_tensor(path: str | os.PathLike) -> np.ndarray:
    """One tensor saved by paddle's ``save_persistables`` (LoDTensor serialisation)."""
    data = Path(path).read_bytes()
    try:
        (version,) = struct.unpack_from("<I", data, 0)
        if version != 0:
            raise ValueError(f"LoDTensor version {version}")
        (lod_level,) = struct.unpack_from("<Q", data, 4)
        i = 12
        for _ in range(lod_level):
            (n,) = struct.unpack_from("<Q", data, i)
            i += 8 + n
        (tversion,) = struct.unpack_from("<I", data, i)
        if tversion != 0:
            raise ValueError(f"tensor version {tversion}")
        (desc_len,) = struct.unpack_from("<i", data, i + 4)
        i += 8
        dtype, dims = _tensor_desc(data[i:i + desc_len])
        i += desc_len
        np_dtype = np.dtype(_DTYPES[dtype]).newbyteorder("<")
        count = math.prod(dims)
        if len(data) - i != count * np_dtype.itemsize:
            raise ValueError(f"{len(data) - i} data bytes for shape {dims}")
        return np.frombuffer(data, dtype=np_dtype, count=count, offset=i).reshape(dims)
    except (struct.error, KeyError, IndexError) as e:
        raise ValueError(f"not a paddle tensor file: {e}") from e


# --- the model --------------------------------------------------------------------------

def model_dir() -> Path:
    """``LAC/lac_model`` of the installed package (the package is not imported)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise TaggerUnavailable(f"the {PACKAGE} package is not installed")
    for loc in spec.submodule_search_locations:
        d = Path(loc) / "lac_model"
        if d.is_dir():
            return d
    raise TaggerUnavailable(f"the {PACKAGE} package has no lac_model directory")


def _load_kv(path: Path, reverse: bool = False) -> dict[str, str]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            terms = line.rstrip("\n").split("\t")
            if len(terms) != 2:
                continue
            k, v = (terms[1], terms[0]) if reverse else terms
            out[k] = v
    return out


def _sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    # 0.5 * (1 + tanh(x / 2)): one transcendental, no overflow warnings
    out = np.multiply(x, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


class Lac:
    """The loaded network. ``tag(texts)`` → one list of per-character tags per text."""

    def __init__(self, path: str | os.PathLike | None = None):
        d = Path(path) if path is not None else model_dir()
        try:
            self._load(d)
        except TaggerUnavailable:
            raise
        except (OSError, ValueError, KeyError) as e:
            raise TaggerUnavailable(f"the {PACKAGE} model in {d} is unreadable ({e})") from e

    def _load(self, d: Path) -> None:
        conf, model = d / "conf", d / "model"
        p = {}
        for name in _PARAMS:
            f = model / name
            if not f.is_file():
                raise TaggerUnavailable(f"the {PACKAGE} model file {f} is missing")
            p[name] = np.ascontiguousarray(read_lod_tensor(f), dtype=np.float32)
        self.word2id = {w: int(i) for w, i in _load_kv(conf / "word.dic", reverse=True).items()}
        self.q2b = _load_kv(conf / "q2b.dic")
        id2label = {int(i): lab for i, lab in _load_kv(conf / "tag.dic").items()}
        self.labels = [id2label.get(i, "O") for i in range(max(id2label) + 1)]
        self.oov = self.word2id["OOV"]
        # small_seg.dic: word -> len(word); prefixes -> None (LAC's prefix dictionary)
        seg: dict[str, int | None] = {}
        total = 0
        with open(conf / "small_seg.dic", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) != 2:
                    continue
                w, c = parts
                seg[w] = len(w)
                total += int(c)
                for i in range(1, len(w)):
                    seg.setdefault(w[:i], None)
        self.seg = seg
        self.logtotal = math.log(total)
        H = p["gru_0.w_0"].shape[0]
        self.H = H
        emb = p["word_emb"]
        if emb.shape[0] <= max(self.word2id.values()):
            raise ValueError("word_emb smaller than the vocabulary")
        self.emb = emb
        # per layer: input projection of both directions in one matrix [in, 6H] (+ GRU bias)
        self.layers = []
        for layer in range(2):
            fw, bw = 2 * layer, 2 * layer + 1
            W_in = np.concatenate([p[f"fc_{fw}.w_0"], p[f"fc_{bw}.w_0"]], axis=1)
            b_in = np.concatenate([p[f"fc_{fw}.b_0"].reshape(-1) + p[f"gru_{fw}.b_0"].reshape(-1),
                                   p[f"fc_{bw}.b_0"].reshape(-1) + p[f"gru_{bw}.b_0"].reshape(-1)])
            Wg, Wc = [], []
            for g in (fw, bw):
                flat = p[f"gru_{g}.w_0"].reshape(-1)
                Wg.append(flat[:2 * H * H].reshape(H, 2 * H))
                Wc.append(flat[2 * H * H:].reshape(H, H))
            self.layers.append((np.ascontiguousarray(W_in), b_in.astype(np.float32),
                                np.ascontiguousarray(np.stack(Wg)), np.ascontiguousarray(np.stack(Wc))))
        self.W_out, self.b_out = p["fc_4.w_0"], p["fc_4.b_0"].reshape(-1)
        crf = p["crfw"]
        n = crf.shape[1]
        if crf.shape[0] != n + 2 or self.W_out.shape[1] != n:
            raise ValueError(f"crfw shape {crf.shape} does not fit {self.W_out.shape[1]} labels")
        self.crf_start, self.crf_end, self.crf_trans = crf[0], crf[1], np.ascontiguousarray(crf[2:])
        self.n_labels = n
        # the emission of layer 1 for a token is a row lookup: cached per id on first use
        self._lock = threading.Lock()

    # --- input ------------------------------------------------------------------------

    _ENG = re.compile(r"[a-zA-Z0-9]")

    def cut(self, text: str) -> list[str]:
        """LAC's dictionary cut: the path with the fewest words (log-length bonus),
        ties to the longer first word; runs of single Latin letters/digits join."""
        seg, n = self.seg, len(text)
        logtotal = self.logtotal
        dag: list[list[int]] = []
        for i in range(n):
            ends = [i]
            j = i + 1
            w = text[i:j]
            while j <= n and w in seg:
                if seg[w]:
                    ends.append(j - 1)
                j += 1
                w = text[i:j]
            dag.append(ends)
        route_score = [0.0] * (n + 1)
        route_end = [0] * (n + 1)
        log = math.log
        for i in range(n - 1, -1, -1):
            best = None
            for e in dag[i]:
                v = seg.get(text[i:e + 1]) or 1
                cand = (log(v) - logtotal + route_score[e + 1], e)
                if best is None or cand > best:
                    best = cand
            route_score[i], route_end[i] = best
        out: list[str] = []
        buf = ""
        i = 0
        eng = self._ENG
        while i < n:
            e = route_end[i] + 1
            w = text[i:e]
            if len(w) == 1 and eng.match(w):
                buf += w
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(w)
            i = e
        if buf:
            out.append(buf)
        return out

    def ids(self, text: str) -> tuple[list[int], list[int]]:
        """Token ids and each token's length in characters."""
        w2i, q2b, oov = self.word2id, self.q2b, self.oov
        ids: list[int] = []
        lens: list[int] = []
        for w in self.cut(text):
            if w in w2i:
                ids.append(w2i.get(q2b.get(w, w), oov))
                lens.append(len(w))
            else:
                for ch in w:
                    ids.append(w2i.get(q2b.get(ch, ch), oov))
                    lens.append(1)
        return ids, lens

    # --- network ----------------------------------------------------------------------

    def _bigru(self, x: np.ndarray, n_live: list[int], layer: int, flat_rev: np.ndarray) -> np.ndarray:
        """x: [T, B, in], time-major, each sequence padded after its end → [T, B, 2H].

        The reverse direction runs forward over each sequence reversed in place
        (``flat_rev``: the flat [T*B] index of the mirrored time step, an involution)."""
        W_in, b_in, Wg, Wc = self.layers[layer]
        T, B, _ = x.shape
        H = self.H
        proj = x.reshape(T * B, -1) @ W_in
        proj += b_in
        inp = np.empty((T, 2, B, 3 * H), dtype=np.float32)
        inp[:, 0] = proj[:, :3 * H].reshape(T, B, 3 * H)
        inp[:, 1] = proj[flat_rev, 3 * H:].reshape(T, B, 3 * H)
        h = np.zeros((2, B, H), dtype=np.float32)
        out = np.zeros((T, 2, B, H), dtype=np.float32)
        for t in range(T):
            nb = n_live[t]                             # sequences still running (longest first)
            ht = h[:, :nb]
            xt = inp[t, :, :nb]
            g = np.matmul(ht, Wg)                      # [2, nb, 2H]: update | reset
            g += xt[:, :, :2 * H]
            _sigmoid(g, out=g)
            u, r = g[:, :, :H], g[:, :, H:]
            c = np.matmul(r * ht, Wc)
            c += xt[:, :, 2 * H:]
            np.tanh(c, out=c)
            c -= ht                                    # h' = h + u * (c - h)
            c *= u
            ht += c
            out[t, :, :nb] = ht
        res = np.empty((T, B, 2 * H), dtype=np.float32)
        res[:, :, :H] = out[:, 0]
        res[:, :, H:] = out[:, 1].reshape(T * B, H)[flat_rev].reshape(T, B, H)
        return res

    def emissions(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Emission scores [T, B, n_labels] (time-major, padded) and the lengths, for id
        sequences sorted longest first."""
        B, T = len(batch), len(batch[0])
        lengths = np.array([len(s) for s in batch])
        ids = np.full((T, B), self.oov, dtype=np.int64)
        for b, s in enumerate(batch):
            ids[:len(s), b] = s
        t_idx = np.arange(T)[:, None]
        L = lengths[None, :]
        src_t = np.where(t_idx < L, L - 1 - t_idx, t_idx)
        flat_rev = (src_t * B + np.arange(B)[None, :]).reshape(-1)
        n_live = [int((lengths > t).sum()) for t in range(T)]
        x = self.emb[ids]
        for layer in range(2):
            x = self._bigru(x, n_live, layer, flat_rev)
        em = x.reshape(T * B, -1) @ self.W_out
        em += self.b_out
        return em.reshape(T, B, -1), lengths

    def viterbi(self, em: np.ndarray) -> list[int]:
        """Paddle ``crf_decoding``: start + emission, max over transitions, + end."""
        T = em.shape[0]
        if T == 0:
            return []
        trans = self.crf_trans
        alpha = self.crf_start + em[0]
        back = np.empty((T, self.n_labels), dtype=np.int64)
        for t in range(1, T):
            s = alpha[:, None] + trans                 # [from, to]
            back[t] = s.argmax(axis=0)
            alpha = s[back[t], np.arange(self.n_labels)] + em[t]
        alpha = alpha + self.crf_end
        best = int(alpha.argmax())
        path = [best]
        for t in range(T - 1, 0, -1):
            best = int(back[t, best])
            path.append(best)
        return path[::-1]

    def viterbi_batch(self, E: np.ndarray, lens: np.ndarray) -> list[list[int]]:
        """Viterbi over many sequences at once (padded; each ends at its own length).

        The forward pass keeps only the best score per tag (max, no back pointers); the
        back trace recomputes ``argmax_i(alpha_{t-1}[i] + trans[i, j])`` for the one tag
        ``j`` chosen at ``t`` — the same sums, so the same (first) maximum as paddle."""
        T, B, N = E.shape
        trans = self.crf_trans
        alphas = np.empty((T, B, N), dtype=np.float32)
        alphas[0] = self.crf_start[None, :] + E[0]
        for t in range(1, T):
            s = alphas[t - 1][:, :, None] + trans[None]     # [B, from, to]
            np.add(s.max(axis=1), E[t], out=alphas[t])
        rows = np.arange(B)
        final = alphas[lens - 1, rows] + self.crf_end[None]
        best = final.argmax(axis=1)
        path = np.zeros((T, B), dtype=np.int64)
        path[lens - 1, rows] = best
        for t in range(T - 1, 0, -1):
            live = lens > t                                 # t is inside the sequence
            prev = (alphas[t - 1] + trans[:, best].T).argmax(axis=1)
            cur_end = lens - 1 == t - 1                     # the sequence ends at t-1: its start of trace
            best = np.where(live, prev, best)
            best = np.where(cur_end, final.argmax(axis=1), best)
            path[t - 1] = np.where(live | cur_end, best, path[t - 1])
        return [path[:lens[b], b].tolist() for b in range(B)]

    def tag(self, texts: list[str], batch_chars: int = 6000) -> list[list[str]]:
        """Per-character tags (``PER-B``, ``PER-I``, ``n-B`` …) for each text."""
        toks = [self.ids(t) for t in texts]
        results: list[list[str]] = [[] for _ in texts]
        order = sorted((k for k in range(len(texts)) if toks[k][0]), key=lambda k: -len(toks[k][0]))
        i = 0
        while i < len(order):
            # a batch of similar lengths, at most batch_chars tokens of padded area
            T = len(toks[order[i]][0])
            j = i + 1
            while j < len(order) and (j - i + 1) * T <= batch_chars:
                j += 1
            group = order[i:j]
            paths = self.viterbi_batch(*self.emissions([toks[k][0] for k in group]))
            for k, path in zip(group, paths):
                tags: list[str] = []
                for tid, n in zip(path, toks[k][1]):
                    lab = self.labels[tid]
                    tags.append(lab)
                    if n > 1:
                        tags.extend([lab[:-2] + "-I"] * (n - 1))
                results[k] = tags
            i = j
        return results


# --- the article level ------------------------------------------------------------------

@dataclass
class Entity:
    label: str          # PER, ORG, LOC, TIME
    start: int
    end: int
    text: str


_SENT_END = re.compile(r"[。！？；!?;\n]+|(?<=[.:])\s+")
_SOFT_CUT = re.compile(r"[，、,：:）)」”]")


def chunks(text: str, max_len: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """Spans of sentences, long ones cut at the last comma-like mark before ``max_len``."""
    out: list[tuple[int, int]] = []
    pos = 0
    bounds = [m.end() for m in _SENT_END.finditer(text)] + [len(text)]
    for b in bounds:
        s = pos
        while b - s > max_len:
            window = text[s:s + max_len]
            cuts = [m.end() for m in _SOFT_CUT.finditer(window)]
            cut = cuts[-1] if cuts and cuts[-1] > max_len // 3 else max_len
            out.append((s, s + cut))
            s += cut
        if b > s:
            out.append((s, b))
        pos = max(pos, b)
    return [(s, e) for s, e in out if text[s:e].strip()]


def entities(tags: list[str], text: str, offset: int = 0) -> list[Entity]:
    """Chunks of PER/ORG/LOC/TIME tags (LAC's rule: a word starts at every -B)."""
    out: list[Entity] = []
    cur = None
    for i, t in enumerate(tags):
        lab, _, bi = t.rpartition("-")
        if bi == "B" or cur is None or cur[0] != lab:
            if cur is not None and cur[0] in ("PER", "ORG", "LOC", "TIME"):
                out.append(Entity(cur[0], offset + cur[1], offset + i, text[cur[1]:i]))
            cur = (lab, i)
    if cur is not None and cur[0] in ("PER", "ORG", "LOC", "TIME"):
        out.append(Entity(cur[0], offset + cur[1], offset + len(tags), text[cur[1]:]))
    return out


_STATE: dict[str, object] = {}
_STATE_LOCK = threading.Lock()


def load() -> Lac:
    """The process's model (loaded once). Raises ``TaggerUnavailable``."""
    with _STATE_LOCK:
        m = _STATE.get("model")
        if isinstance(m, Lac):
            return m
        if isinstance(m, TaggerUnavailable):
            raise m
        try:
            m = Lac()
        except TaggerUnavailable as e:
            _STATE["model"] = e
            raise
        _STATE["model"] = m
        return m


def available() -> bool:
    try:
        load()
        return True
    except TaggerUnavailable:
        return False


def unavailable_message() -> str | None:
    """One line for the CLI when the tagger cannot run, else None."""
    try:
        load()
        return None
    except TaggerUnavailable as e:
        return (f"named-entity tagger off: {e}; extraction runs on the gazetteer alone. "
                f"Reinstall with: {REINSTALL}")


def tag_spans(text: str, spans: list[tuple[int, int]], model: Lac | None = None) -> list[Entity]:
    """Entities in the given spans of ``text`` (offsets into ``text``)."""
    model = model or load()
    pieces = [text[s:e] for s, e in spans]
    out: list[Entity] = []
    if not pieces:
        return out
    # BLAS on one thread while tagging: the matrices are small, and a second thread only
    # spins (measured: 10.9 s against 7.6 s CPU for the real corpus's ingest). Scoped, so a
    # simulation later in the same process keeps its threads.
    with _one_blas_thread():
        tagged = model.tag(pieces)
    for (s, _), piece, tags in zip(spans, pieces, tagged):
        out.extend(entities(tags, piece, s))
    return out


def _one_blas_thread():
    try:
        from threadpoolctl import threadpool_limits
        return threadpool_limits(1, user_api="blas")
    except Exception:  # pragma: no cover - threadpoolctl comes with scikit-learn
        import contextlib
        return contextlib.nullcontext()


#: A chunk that can hold a name the gazetteer lacks: a speech verb, a title or role word, an
#: organisation word, a name dot, or a run of three transliteration characters.
_CUE = re.compile(
    # Multi-character cues only: single characters such as 部, 局, 社, 党, 报 pass most
    # chunks; dropping them halves the tagger's time for 0.03 of dev mention recall and no
    # speaker (docs/extract.md, "Names the gazetteer lacks").
    r"[说称]|表示|指出|认为|告诉|强调|透露|发言人|大使|议员|官员|教授|学者|专家|研究员|分析师|记者|先生|女士|"
    r"委员会|组织|大学|学院|研究所|研究中心|银行|公司|集团|基金会|协会|法院|电台|电视台|[·•・‧．]|"
    r"[夫娃耶诺斯科尔克汗别巴阿卡姆蒂德伊维奇拉米耶]{3}")


def tag_text(text: str, model: Lac | None = None, gate: bool | None = None) -> list[Entity]:
    """Entities of the Chinese chunks of ``text``; with ``gate`` (default: env
    ``HEARTLAND_TAGGER_GATE`` != "0") only chunks with a cue (``_CUE``) are tagged."""
    if gate is None:
        gate = os.environ.get("HEARTLAND_TAGGER_GATE", "1") != "0"
    spans = [(s, e) for s, e in chunks(text) if _HAS_CJK.search(text, s, e)]
    if gate:
        spans = [(s, e) for s, e in spans if _CUE.search(text, s, e)]
    return tag_spans(text, spans, model)


_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


