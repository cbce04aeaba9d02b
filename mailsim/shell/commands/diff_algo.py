"""GNU diffutils 3.8's choice of changed lines, so hunks match the real diff's.

Python's difflib finds a different (not minimal, "junk"-driven) edit script;
GNU diff finds Myers' middle snake recursively (gnulib's diffseq.h), after
setting aside lines that match nothing in the other file (analyze.c's
discard_confusing_lines), then slides each run of changes as far down as it can
go and merges runs (shift_boundaries). This module does those three steps on
lists of equivalence-class numbers, one per line.

The result is one ``changed`` flag list per file; ``changes()`` turns the two
into hunks ``(line0, line1, deleted, inserted)``, 0-based, in file order.
"""

from __future__ import annotations

from collections import Counter

Change = tuple[int, int, int, int]


def discard_confusing(equivs: tuple[list[int], list[int]]) -> tuple[list[bool], list[bool]]:
    """Lines the main comparison may skip: those no line of the other file matches,
    and long runs of lines that match very many (analyze.c's rules)."""
    counts = (Counter(equivs[0]), Counter(equivs[1]))
    result: list[list[bool]] = []
    for f in (0, 1):
        end = len(equivs[f])
        other = counts[1 - f]
        many = 5
        tem = end // 64
        while True:
            tem >>= 2
            if tem <= 0:
                break
            many *= 2
        discards = [0] * end
        for i, e in enumerate(equivs[f]):
            n = other.get(e, 0)
            if n == 0:
                discards[i] = 1
            elif n > many:
                discards[i] = 2
        _cancel_provisional(discards)
        result.append([d != 0 for d in discards])
    return result[0], result[1]


def _cancel_provisional(discards: list[int]) -> None:
    """Keep a provisional discard only inside a run of discards, as analyze.c does."""
    end = len(discards)
    i = 0
    while i < end:
        if discards[i] == 2:
            discards[i] = 0
        elif discards[i] != 0:
            provisional = 0
            j = i
            while j < end and discards[j] != 0:
                if discards[j] == 2:
                    provisional += 1
                j += 1
            while j > i and discards[j - 1] == 2:
                j -= 1
                discards[j] = 0
                provisional -= 1
            length = j - i
            if provisional * 4 > length:
                while j > i:
                    j -= 1
                    if discards[j] == 2:
                        discards[j] = 0
            else:
                minimum = 1
                tem = length >> 2
                while True:
                    tem >>= 2
                    if tem <= 0:
                        break
                    minimum <<= 1
                minimum += 1
                j = consec = 0
                while j < length:
                    if discards[i + j] != 2:
                        consec = 0
                    else:
                        consec += 1
                        if minimum == consec:
                            j -= consec
                        elif minimum < consec:
                            discards[i + j] = 0
                    j += 1
                consec = 0
                for j in range(length):
                    if j >= 8 and discards[i + j] == 1:
                        break
                    if discards[i + j] == 2:
                        consec = 0
                        discards[i + j] = 0
                    elif discards[i + j] == 0:
                        consec = 0
                    else:
                        consec += 1
                    if consec == 3:
                        break
                i += length - 1
                consec = 0
                for j in range(length):
                    if j >= 8 and discards[i - j] == 1:
                        break
                    if discards[i - j] == 2:
                        consec = 0
                        discards[i - j] = 0
                    elif discards[i - j] == 0:
                        consec = 0
                    else:
                        consec += 1
                    if consec == 3:
                        break
        i += 1


def _middle_snake(
    xv: list[int], yv: list[int], xoff: int, xlim: int, yoff: int, ylim: int
) -> tuple[int, int]:
    """diffseq.h's diag() without its heuristics: where the two searches meet."""
    dmin, dmax = xoff - ylim, xlim - yoff
    fmid, bmid = xoff - yoff, xlim - ylim
    fmin = fmax = fmid
    bmin = bmax = bmid
    odd = (fmid - bmid) & 1
    fd: dict[int, int] = {fmid: xoff}
    bd: dict[int, int] = {bmid: xlim}
    big = xlim + ylim + 1
    while True:
        if fmin > dmin:
            fmin -= 1
            fd[fmin - 1] = -1
        else:
            fmin += 1
        if fmax < dmax:
            fmax += 1
            fd[fmax + 1] = -1
        else:
            fmax -= 1
        for d in range(fmax, fmin - 1, -2):
            tlo, thi = fd.get(d - 1, -1), fd.get(d + 1, -1)
            x = thi if tlo < thi else tlo + 1
            y = x - d
            while x < xlim and y < ylim and xv[x] == yv[y]:
                x += 1
                y += 1
            fd[d] = x
            if odd and bmin <= d <= bmax and bd.get(d, big) <= x:
                return x, y
        if bmin > dmin:
            bmin -= 1
            bd[bmin - 1] = big
        else:
            bmin += 1
        if bmax < dmax:
            bmax += 1
            bd[bmax + 1] = big
        else:
            bmax -= 1
        for d in range(bmax, bmin - 1, -2):
            tlo, thi = bd.get(d - 1, big), bd.get(d + 1, big)
            x = tlo if tlo < thi else thi - 1
            y = x - d
            while xoff < x and yoff < y and xv[x - 1] == yv[y - 1]:
                x -= 1
                y -= 1
            bd[d] = x
            if not odd and fmin <= d <= fmax and x <= fd.get(d, -1):
                return x, y


def compare(xv: list[int], yv: list[int], xchanged: list[bool], ychanged: list[bool]) -> None:
    """Mark the lines of xv and yv that a shortest edit script changes (compareseq)."""
    stack = [(0, len(xv), 0, len(yv))]
    while stack:
        xoff, xlim, yoff, ylim = stack.pop()
        while xoff < xlim and yoff < ylim and xv[xoff] == yv[yoff]:
            xoff += 1
            yoff += 1
        while xoff < xlim and yoff < ylim and xv[xlim - 1] == yv[ylim - 1]:
            xlim -= 1
            ylim -= 1
        if xoff == xlim:
            for y in range(yoff, ylim):
                ychanged[y] = True
        elif yoff == ylim:
            for x in range(xoff, xlim):
                xchanged[x] = True
        else:
            xmid, ymid = _middle_snake(xv, yv, xoff, xlim, yoff, ylim)
            stack.append((xmid, xlim, ymid, ylim))
            stack.append((xoff, xmid, yoff, ymid))


def shift_boundaries(equivs: list[int], changed: list[bool], other: list[bool]) -> None:
    """Slide runs of changes to merge them, then as far down as they go (analyze.c).

    ``changed`` and ``other`` carry one extra False at the end, as GNU's do."""
    i = j = 0
    i_end = len(equivs)
    while True:
        while i < i_end and not changed[i]:
            while other[j]:
                j += 1
            j += 1
            i += 1
        if i == i_end:
            break
        start = i
        i += 1
        while changed[i]:
            i += 1
        while other[j]:
            j += 1
        while True:
            runlength = i - start
            while start and equivs[start - 1] == equivs[i - 1]:
                start -= 1
                changed[start] = True
                i -= 1
                changed[i] = False
                while start and changed[start - 1]:
                    start -= 1
                j -= 1
                while other[j]:
                    j -= 1
            corresponding = i if j and other[j - 1] else i_end
            while i != i_end and equivs[start] == equivs[i]:
                changed[start] = False
                start += 1
                changed[i] = True
                i += 1
                while changed[i]:
                    i += 1
                j += 1
                while other[j]:
                    corresponding = i
                    j += 1
            if runlength == i - start:
                break
        while corresponding < i:
            start -= 1
            changed[start] = True
            i -= 1
            changed[i] = False
            j -= 1
            while other[j]:
                j -= 1


def changed_lines(
    a: list[int], b: list[int], minimal: bool = False
) -> tuple[list[bool], list[bool]]:
    """The changed flags of both files (with a False sentinel at the end of each)."""
    xchanged = [False] * (len(a) + 1)
    ychanged = [False] * (len(b) + 1)
    if minimal:
        xd, yd = [False] * len(a), [False] * len(b)
    else:
        xd, yd = discard_confusing((a, b))
    xreal = [i for i in range(len(a)) if not xd[i]]
    yreal = [i for i in range(len(b)) if not yd[i]]
    for i in range(len(a)):
        xchanged[i] = xd[i]
    for i in range(len(b)):
        ychanged[i] = yd[i]
    xsub = [False] * len(xreal)
    ysub = [False] * len(yreal)
    compare([a[i] for i in xreal], [b[i] for i in yreal], xsub, ysub)
    for k, flag in enumerate(xsub):
        if flag:
            xchanged[xreal[k]] = True
    for k, flag in enumerate(ysub):
        if flag:
            ychanged[yreal[k]] = True
    shift_boundaries(a, xchanged, ychanged)
    shift_boundaries(b, ychanged, xchanged)
    return xchanged, ychanged


def changes(xchanged: list[bool], ychanged: list[bool]) -> list[Change]:
    """Hunks (line0, line1, deleted, inserted) in file order (build_script)."""
    out: list[Change] = []
    i0 = i1 = 0
    len0, len1 = len(xchanged) - 1, len(ychanged) - 1
    while i0 < len0 or i1 < len1:
        if xchanged[i0] or ychanged[i1]:
            line0, line1 = i0, i1
            while xchanged[i0]:
                i0 += 1
            while ychanged[i1]:
                i1 += 1
            out.append((line0, line1, i0 - line0, i1 - line1))
        i0 += 1
        i1 += 1
    return out
