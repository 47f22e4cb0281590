"""The VRPTW search's inner loop, compiled by numba: labels, ruin, recreate, annealing.

It works on flat arrays that
`vrptw.Arrays` builds from an `Instance` and keeps the search state in
`State`; `vrptw.improve` drives it in chunks of iterations, so the clock, a
cancel signal and the stall limit are checked between chunks while a seed and
an iteration budget still give the same routes.

A route of vehicle v is the row `seq[v, :count[v] + 2]`: its start, its stops,
its end. Per position the four labels are the earliest (e) and latest (l)
service start with the break still to come (0) and taken (1); a vehicle with
no break is always in state 1. The break is taken where the worker is: after
a stop's service and before the drive on, or before the route starts or after
it ends where its window allows. The rule and the labels are described in
`vrptw`; the random numbers come from `jit.random01`, so the routes depend only
on the seed.
"""

from __future__ import annotations

import numpy as np

from optimiser.sisr.core import MAX_STRINGS_FACTOR, RECREATE_ORDERS, accept, begin_step
from optimiser.sisr.jit import njit, random01

INF = np.inf


@njit(cache=True)
def first_start(wlo: np.ndarray, whi: np.ndarray, nw: np.ndarray, i: int, x: float) -> float:
    """The earliest service start of i at or after x, or inf."""
    for j in range(nw[i]):
        if x <= whi[i, j]:
            return wlo[i, j] if x < wlo[i, j] else x
    return INF


@njit(cache=True)
def last_start(wlo: np.ndarray, whi: np.ndarray, nw: np.ndarray, i: int, x: float) -> float:
    """The latest service start of i at or before x, or -inf."""
    for j in range(nw[i] - 1, -1, -1):
        if x >= wlo[i, j]:
            return whi[i, j] if x > whi[i, j] else x
    return -INF


@njit(cache=True)
def fill_labels(travel, wlo, whi, nw, service, has_break, b_early, b_late, b_length,
                seq, count, e0, e1, l0, l1, v):
    """The labels of vehicle v's route, written into rows v of e0, e1, l0, l1."""
    m = count[v] + 2
    hb = has_break[v]
    be, bl, bd = b_early[v], b_late[v], b_length[v]
    for k in range(m):
        e0[v, k] = INF
        e1[v, k] = INF
        l0[v, k] = -INF
        l1[v, k] = -INF
    first = seq[v, 0]
    e1[v, 0] = first_start(wlo, whi, nw, first, -INF)
    if hb:
        e0[v, 0] = e1[v, 0]
        e1[v, 0] = first_start(wlo, whi, nw, first, be + bd)  # the break before leaving
    for k in range(1, m):
        a, b = seq[v, k - 1], seq[v, k]
        d = travel[a, b]
        e1[v, k] = first_start(wlo, whi, nw, b, e1[v, k - 1] + service[a] + d)
        if hb and e0[v, k - 1] < INF:
            e0[v, k] = first_start(wlo, whi, nw, b, e0[v, k - 1] + service[a] + d)
            taken = max(e0[v, k - 1] + service[a], be)
            if taken <= bl:
                e1[v, k] = min(e1[v, k], first_start(wlo, whi, nw, b, taken + bd + d))
    last_id = seq[v, m - 1]
    last = whi[last_id, nw[last_id] - 1]
    l1[v, m - 1] = last
    if hb:
        l0[v, m - 1] = min(last, bl)  # the break after the route's end
    for k in range(m - 2, -1, -1):
        a, b = seq[v, k], seq[v, k + 1]
        d = travel[a, b]
        l1[v, k] = last_start(wlo, whi, nw, a, l1[v, k + 1] - d - service[a])
        if hb:
            later = last_start(wlo, whi, nw, a, l0[v, k + 1] - d - service[a])
            here = min(bl, l1[v, k + 1] - bd - d)  # the break right after a
            if here >= be:
                later = max(later, last_start(wlo, whi, nw, a, here - service[a]))
            l0[v, k] = later


@njit(cache=True)
def route_cost(travel, stop_cost, seq, count, v) -> float:
    """Travel of vehicle v's route from its start to its end (0 when empty), plus the price
    of its stops beyond travel."""
    n = count[v]
    if n == 0:
        return 0.0
    total = 0.0
    for k in range(n + 1):
        total += travel[seq[v, k], seq[v, k + 1]]
    for k in range(1, n + 1):
        total += stop_cost[v, seq[v, k]]
    return total


@njit(cache=True)
def refresh(p, seq, count, e0, e1, l0, l1, cost, v):
    """Labels and cost of vehicle v after its route changed."""
    (travel, wlo, whi, nw, service, demand, allowed, capacity, has_break, b_early, b_late,
     b_length, penalty, stop_cost, kind, customers, neighbours) = p
    fill_labels(travel, wlo, whi, nw, service, has_break, b_early, b_late, b_length,
                seq, count, e0, e1, l0, l1, v)
    cost[v] = route_cost(travel, stop_cost, seq, count, v)


@njit(cache=True)
def remove_strings(p, seq, count, load, where, pos, rng, average_removed, max_string,
                   removed):
    """Ruin: cut one string out of each of a few routes near a random seed stop, in place.

    Writes the removed stops into `removed`; returns how many and the seed (a stop the
    routes may leave out: then the strings are cut near where it could go). The labels
    and costs of the ruined routes are left to the caller."""
    demand, customers, neighbours = p[5], p[15], p[16]
    vehicles = count.shape[0]
    used, total = 0, 0
    for v in range(vehicles):
        if count[v] > 0:
            used += 1
            total += count[v]
            for k in range(count[v]):
                where[seq[v, k + 1]] = v
                pos[seq[v, k + 1]] = k
    if used == 0:
        return 0, -1
    longest = min(float(max_string), total / used)
    strings = int(random01(rng) * (MAX_STRINGS_FACTOR * average_removed / (1 + longest) - 1)) + 1
    seed = customers[int(random01(rng) * customers.shape[0])]
    ruined = np.zeros(vehicles, np.bool_)
    done, out = 0, 0
    for idx in range(-1, neighbours.shape[1]):
        if done >= strings:
            break
        u = seed if idx < 0 else neighbours[seed, idx]
        v = where[u]
        if v < 0 or ruined[v]:
            continue
        n = count[v]
        length = int(random01(rng) * min(float(n), longest)) + 1
        k = pos[u]
        low, high = max(0, k - length + 1), min(k, n - length)
        lo = low + int(random01(rng) * (high - low + 1))
        for j in range(length):
            removed[out] = seq[v, lo + 1 + j]
            load[v] -= demand[removed[out]]
            out += 1
        for j in range(lo + 1, n + 2 - length):
            seq[v, j] = seq[v, j + length]
        count[v] = n - length
        ruined[v] = True
        done += 1
    for v in range(vehicles):
        for k in range(count[v]):
            where[seq[v, k + 1]] = -1
    for j in range(out):
        where[removed[j]] = -1
    return out, seed


@njit(cache=True)
def order_for_recreate(p, start, units, rng, first):
    """The units in one order drawn at random, then (stably) dearest to leave out first;
    `first` (a left-out stop the ruin made room for, or -1) leads its price class, so
    it may take the place of a stop as dear (a swap of served and left-out stops)."""
    travel, wlo, whi, nw, demand, penalty = p[0], p[1], p[2], p[3], p[5], p[12]
    n = units.shape[0]
    order = int(random01(rng) * RECREATE_ORDERS)
    if order == 0:
        for i in range(n - 1, 0, -1):
            j = int(random01(rng) * (i + 1))
            units[i], units[j] = units[j], units[i]
    else:
        key = np.empty(n)
        for i in range(n):
            u = units[i]
            if order == 1:
                key[i] = -demand[u]
            elif order == 2:
                key[i] = -travel[start[0], u]
            else:
                key[i] = whi[u, nw[u] - 1] - wlo[u, 0]
        units[:] = units[np.argsort(key, kind="mergesort")]
    for i in range(n):
        if units[i] == first:
            units[1:i + 1] = units[:i].copy()
            units[0] = first
            break
    key = np.empty(n)
    for i in range(n):
        key[i] = -penalty[units[i]]
    units[:] = units[np.argsort(key, kind="mergesort")]


@njit(cache=True)
def best_place(p, u, seq, count, e0, e1, l0, l1, load, tried, stamp, rng, blink):
    """The cheapest feasible (vehicle, position) for u, position k meaning between the
    route's k-th and (k+1)-th entries, and its added cost; vehicle -1 when there is none.

    Empty vehicles are tried once per kind (alike when empty); a feasible place is skipped
    with chance `blink`."""
    (travel, wlo, whi, nw, service, demand, allowed, capacity, has_break, b_early, b_late,
     b_length, penalty, stop_cost, kind, customers, neighbours) = p
    best_delta, best_v, best_k = INF, -1, -1
    su = service[u]
    open_u, close_u = wlo[u, 0], whi[u, nw[u] - 1]
    single = nw[u] == 1
    for v in range(count.shape[0]):
        if not allowed[u, v] or load[v] + demand[u] > capacity[v]:
            continue
        if count[v] == 0:
            if tried[kind[v]] == stamp:
                continue
            tried[kind[v]] = stamp
        hb = has_break[v]
        extra = stop_cost[v, u]
        for k in range(count[v] + 1):
            a, q = seq[v, k], seq[v, k + 1]
            depart = (e0[v, k] if hb else e1[v, k]) + service[a]
            if depart + travel[a, u] > close_u:
                break  # later places are later still
            delta = travel[a, u] + travel[u, q] - travel[a, q] + extra
            if delta >= best_delta:
                continue
            arrive = e1[v, k] + service[a] + travel[a, u]
            if single:
                x = arrive if arrive > open_u else open_u
                if x > close_u:
                    x = INF
            else:
                x = first_start(wlo, whi, nw, u, arrive)
            fits = x + su + travel[u, q] <= l1[v, k + 1]
            if not fits and hb and e0[v, k] < INF:
                x0 = first_start(wlo, whi, nw, u, e0[v, k] + service[a] + travel[a, u])
                if x0 + su + travel[u, q] <= l0[v, k + 1]:
                    fits = True  # the break later
                else:
                    taken = max(e0[v, k] + service[a], b_early[v])  # the break before u
                    if taken <= b_late[v] and first_start(
                            wlo, whi, nw, u, taken + b_length[v] + travel[a, u]
                    ) + su + travel[u, q] <= l1[v, k + 1]:
                        fits = True
                    elif x0 < INF:  # the break after u
                        taken = max(x0 + su, b_early[v])
                        fits = (taken <= b_late[v]
                                and taken + b_length[v] + travel[u, q] <= l1[v, k + 1])
            if fits and random01(rng) >= blink:
                best_delta, best_v, best_k = delta, v, k
    return best_v, best_k, best_delta


@njit(cache=True)
def insert(p, seq, count, load, v, k, u):
    """Put u into vehicle v's route between its k-th and (k+1)-th entries."""
    n = count[v]
    for j in range(n + 2, k + 1, -1):
        seq[v, j] = seq[v, j - 1]
    seq[v, k + 1] = u
    count[v] = n + 1
    load[v] += p[5][u]


@njit(cache=True)
def copy_rows(rows, src, dst):
    """Vehicles `rows` of the state src into dst: (seq, count, e0, e1, l0, l1, load, cost)."""
    for v in rows:
        dst[0][v, :] = src[0][v, :]
        dst[1][v] = src[1][v]
        dst[2][v, :] = src[2][v, :]
        dst[3][v, :] = src[3][v, :]
        dst[4][v, :] = src[4][v, :]
        dst[5][v, :] = src[5][v, :]
        dst[6][v] = src[6][v]
        dst[7][v] = src[7][v]


@njit(cache=True)
def run(p, start, current, candidate, best, missing, status, temperatures, rng,
        average_removed, max_string, blink, optional, stall):
    """Simulated annealing over ruin-and-recreate steps, one per temperature (`core.accept`,
    `core.begin_step`: the status, the choice and the stall limit).

    `missing[:status[4]]` are the stops the current routes leave out. Without `optional`,
    a candidate that leaves a stop out is discarded and only complete routes become the
    best."""
    penalty = p[12]
    vehicles = current[1].shape[0]
    size = penalty.shape[0]
    where = np.full(size, -1, np.int64)
    pos = np.zeros(size, np.int64)
    removed = np.empty(size, np.int64)
    left = np.empty(size, np.int64)
    tried = np.zeros(vehicles, np.int64)
    dirty = np.zeros(vehicles, np.bool_)
    stamp = 0
    seq, count, e0, e1, l0, l1, load, cost = candidate
    for temperature in temperatures:
        if not begin_step(status, stall):
            return
        before = count.copy()
        out, seed = remove_strings(p, seq, count, load, where, pos, rng, average_removed,
                                   max_string, removed)
        for v in range(vehicles):
            dirty[v] = count[v] != before[v]
            if dirty[v]:
                refresh(p, seq, count, e0, e1, l0, l1, cost, v)
        n_missing = int(status[4])
        units = np.concatenate((removed[:out], missing[:n_missing]))
        for j in range(out):
            if removed[j] == seed:  # the seed was served: no stop to make room for
                seed = -1
        order_for_recreate(p, start, units, rng, seed)
        n_left, failed = 0, False
        for u in units:
            stamp += 1
            v, k, _ = best_place(p, u, seq, count, e0, e1, l0, l1, load, tried, stamp, rng,
                                 blink)
            if v < 0:
                if not optional:
                    failed = True
                    break
                left[n_left] = u
                n_left += 1
                continue
            insert(p, seq, count, load, v, k, u)
            refresh(p, seq, count, e0, e1, l0, l1, cost, v)
            dirty[v] = True
        rows = np.nonzero(dirty)[0]
        kept = 0
        if not failed:
            total = cost.sum()
            for j in range(n_left):
                total += penalty[left[j]]
            kept = accept(status, total, temperature, rng, left, n_left, missing,
                          optional or n_left == 0)
        if kept:
            copy_rows(rows, candidate, current)
            if kept == 2:
                best[0][:, :] = seq
                best[1][:] = count
        else:
            copy_rows(rows, current, candidate)
