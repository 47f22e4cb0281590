"""The pickup-and-delivery search's inner loop, compiled: bounds, the exact schedule test,
ruin, recreate and annealing.

`pairs.improve_pairs` builds the arrays from a `PairInstance`, keeps the state
and drives this loop a chunk of temperatures at a time. A route of vehicle v
is the row `seq[v, :count[v] + 2]` (start, stops, end); per position it keeps
the earliest and latest service start from windows and travel only (bounds
every feasible schedule meets) and the load after the stop. The rules are
described in `pairs`.
"""

from __future__ import annotations

import numpy as np

from optimiser.sisr.core import (
    MAX_STRINGS_FACTOR,
    PICKUP_ANCHOR_CHANCE,
    RECREATE_ORDERS,
    accept,
    begin_step,
)
from optimiser.sisr.jit import njit, random01

INF = np.inf
CORRECTIONS_PER_STOP = 10  # the exact test gives up after 10·n + 20 raises for n stops
CORRECTIONS_BASE = 20
CANDIDATES = 1024  # insertion candidates held at first; doubled when a request needs more


@njit(cache=True)
def bounds(p, seq, count, ear, lat, load, cost, v):
    """Earliest and latest starts, loads after each stop and the travel of route v."""
    travel, earliest, latest, service, delta = p[0], p[1], p[2], p[3], p[4]
    m = count[v] + 2
    ear[v, 0] = earliest[seq[v, 0]]
    load[v, 0] = 0
    total = 0.0
    for k in range(1, m):
        a, b = seq[v, k - 1], seq[v, k]
        total += travel[a, b]
        ear[v, k] = max(earliest[b], ear[v, k - 1] + service[a] + travel[a, b])
        load[v, k] = load[v, k - 1] + delta[b]
    lat[v, m - 1] = latest[seq[v, m - 1]]
    for k in range(m - 2, -1, -1):
        a, b = seq[v, k], seq[v, k + 1]
        lat[v, k] = min(latest[a], lat[v, k + 1] - service[a] - travel[a, b])
    cost[v] = total if m > 2 else 0.0


@njit(cache=True)
def schedule_exists(p, v, seq, n, low, x, position):
    """Exact: whether the stops seq[:n] (route v with its ends) have a schedule; the least
    solution of the route's difference constraints, by label correction.

    Service starts only ever rise from their window opens; a ride longer than allowed
    raises the pickup, a route longer than allowed raises the start; any start beyond its
    window close proves that no schedule exists (every schedule is at least the least
    one). `low`, `x` and `position` are scratch arrays."""
    (travel, earliest, latest, service, delta, allowed, capacity, max_duration, pickup,
     dropoff, max_ride, request_of, start, neighbours) = p
    load, open_rides = 0.0, 0
    for r in range(position.shape[0]):
        position[r] = -1
    for k in range(1, n - 1):
        i = seq[k]
        load += delta[i]
        if load > capacity[v]:
            return False
        r = request_of[i]
        if i == pickup[r]:
            position[r] = k
            open_rides += 1
        elif position[r] < 0:
            return False  # drop-off before its pickup
        else:
            open_rides -= 1
    if open_rides:
        return False  # a pickup without its drop-off
    for k in range(n):
        low[k] = earliest[seq[k]]
    duration = max_duration[v]
    k = 0
    budget = CORRECTIONS_PER_STOP * n + CORRECTIONS_BASE
    while True:
        while k < n:
            i = seq[k]
            if k == 0:
                x[k] = low[k]
            else:
                x[k] = max(low[k], x[k - 1] + service[seq[k - 1]] + travel[seq[k - 1], i])
            if x[k] > latest[i]:
                return False
            if 0 < k < n - 1:
                r = request_of[i]
                if i != pickup[r]:
                    q = position[r]
                    too_long = x[k] - x[q] - service[seq[q]] - max_ride[r]
                    if too_long > 0:
                        budget -= 1
                        if budget < 0:
                            return False  # give up: reject rather than guess
                        low[q] = x[q] + too_long
                        k = q
                        continue
            k += 1
        over = x[n - 1] - x[0] - duration
        if over <= 0:
            return True
        budget -= 1
        if budget < 0:
            return False
        low[0] = x[0] + over
        k = 0


@njit(cache=True)
def remove_strings(p, seq, count, rng, average_removed, max_string, removed, where, pos,
                   gone):
    """Ruin: cut one string out of each of a few routes near a random seed request, every
    stop with its partner, in place. Writes the removed requests into `removed` and returns
    how many; the bounds of the ruined routes are left to the caller."""
    pickup, dropoff, request_of, neighbours = p[8], p[9], p[11], p[13]
    vehicles = count.shape[0]
    used, total = 0, 0
    for v in range(vehicles):
        if count[v] > 0:
            used += 1
            total += count[v]
            for k in range(count[v]):
                i = seq[v, k + 1]
                where[request_of[i]] = v
                pos[i] = k
    if used == 0:
        return 0
    longest = min(float(max_string), total / used)
    strings = int(random01(rng) * (MAX_STRINGS_FACTOR * average_removed / (1 + longest) - 1)) + 1
    seed = int(random01(rng) * pickup.shape[0])
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
        stop = pickup[u] if random01(rng) < PICKUP_ANCHOR_CHANCE else dropoff[u]
        k = pos[stop]
        low, high = max(0, k - length + 1), min(k, n - length)
        lo = low + int(random01(rng) * (high - low + 1))
        for j in range(lo, lo + length):
            r = request_of[seq[v, j + 1]]
            if not gone[r]:
                gone[r] = True
                removed[out] = r
                out += 1
        kept = 0
        for j in range(n):
            i = seq[v, j + 1]
            if not gone[request_of[i]]:
                seq[v, kept + 1] = i
                kept += 1
        seq[v, kept + 1] = seq[v, n + 1]
        count[v] = kept
        ruined[v] = True
        done += 1
    for r in range(pickup.shape[0]):
        where[r] = -1
    for j in range(out):
        gone[removed[j]] = False
    return out


@njit(cache=True)
def order_for_recreate(p, units, rng):
    """The requests in one order drawn at random: random, largest demand, farthest from the
    first vehicle's start, or tightest windows first."""
    travel, earliest, latest, delta, pickup, dropoff, start = (p[0], p[1], p[2], p[4], p[8],
                                                               p[9], p[12])
    n = units.shape[0]
    order = int(random01(rng) * RECREATE_ORDERS)
    if order == 0:
        for i in range(n - 1, 0, -1):
            j = int(random01(rng) * (i + 1))
            units[i], units[j] = units[j], units[i]
        return
    key = np.empty(n)
    for i in range(n):
        a, b = pickup[units[i]], dropoff[units[i]]
        if order == 1:
            key[i] = -delta[a]
        elif order == 2:
            key[i] = -travel[start[0], a]
        else:
            key[i] = latest[a] - earliest[a] + latest[b] - earliest[b]
    units[:] = units[np.argsort(key, kind="mergesort")]


@njit(cache=True)
def place(p, r, seq, count, ear, lat, load, rng, blink, scratch, candidates):
    """Insert request r at its cheapest positions that pass the exact test (each passing
    place skipped with chance `blink`); the vehicle, -1 when it fits nowhere, or -2 when
    `candidates` (cost, vehicle, i, j buffers) are too small (nothing changed).

    Candidates (pickup after position i, drop-off after position j >= i) are found with
    cheap necessary tests (bounds, load, a lower bound on the ride) and then tried
    cheapest first. The buffers come from the caller: growing them here, inside the
    loops, made numba count references at every step and the search three times slower."""
    (travel, earliest, latest, service, delta, allowed, capacity, max_duration, pickup,
     dropoff, max_ride, request_of, start, neighbours) = p
    a_p, a_d = pickup[r], dropoff[r]
    q, ride = delta[a_p], max_ride[r]
    sp, sd, ed, ld = service[a_p], service[a_d], earliest[a_d], latest[a_d]
    c_cost, c_v, c_i, c_j = candidates
    size = c_cost.shape[0]
    found = 0
    empty_tried = False
    for v in range(count.shape[0]):
        if not allowed[r, v] or q > capacity[v]:
            continue
        if count[v] == 0:
            if empty_tried:
                continue
            empty_tried = True
        room = capacity[v] - q
        last = count[v] + 1
        for i in range(last):
            a, b = seq[v, i], seq[v, i + 1]
            if load[v, i] > room:
                continue  # the load after stop i must make room for the pickup
            arrive = ear[v, i] + service[a] + travel[a, a_p]
            if arrive > latest[a_p]:
                break
            bp = arrive if arrive > earliest[a_p] else earliest[a_p]
            x, ride_low, add_p = 0.0, 0.0, 0.0  # set at j == i
            for j in range(i, last):
                if found == size:
                    return -2
                if j == i:  # the drop-off straight after the pickup
                    bd = max(ed, bp + sp + travel[a_p, a_d])
                    if (bd <= ld and bd - bp - sp <= ride
                            and bd + sd + travel[a_d, b] <= lat[v, i + 1]):
                        c_cost[found] = (travel[a, a_p] + travel[a_p, a_d] + travel[a_d, b]
                                         - travel[a, b])
                        c_v[found], c_i[found], c_j[found] = v, i, i
                        found += 1
                    # the pickup's delay pushed to stop i+1
                    x = bp + sp + travel[a_p, b]
                    if x > lat[v, i + 1]:
                        break
                    x = max(x, ear[v, i + 1])
                    ride_low = travel[a_p, b]  # a lower bound on the ride so far
                    add_p = travel[a, a_p] + travel[a_p, b] - travel[a, b]
                    continue
                c, nxt = seq[v, j], seq[v, j + 1]
                if load[v, j] > room or ride_low > ride:
                    break
                ad = x + service[c] + travel[c, a_d]
                if ad > ld:
                    break
                bd = ad if ad > ed else ed
                if (bd + sd + travel[a_d, nxt] <= lat[v, j + 1]
                        and ride_low + service[c] + travel[c, a_d] <= ride):
                    c_cost[found] = add_p + travel[c, a_d] + travel[a_d, nxt] - travel[c, nxt]
                    c_v[found], c_i[found], c_j[found] = v, i, j
                    found += 1
                x = max(x + service[c] + travel[c, nxt], ear[v, j + 1])
                if x > lat[v, j + 1]:
                    break
                ride_low += service[c] + travel[c, nxt]
    low, x_s, position, trial = scratch
    for t in np.argsort(c_cost[:found], kind="mergesort"):
        if random01(rng) < blink:
            continue
        v, i, j = c_v[t], c_i[t], c_j[t]
        n = count[v]
        # trial = start, rt[:i], pickup, rt[i:j], drop-off, rt[j:], end
        m = 0
        for k in range(i + 1):
            trial[m] = seq[v, k]
            m += 1
        trial[m] = a_p
        m += 1
        for k in range(i + 1, j + 1):
            trial[m] = seq[v, k]
            m += 1
        trial[m] = a_d
        m += 1
        for k in range(j + 1, n + 2):
            trial[m] = seq[v, k]
            m += 1
        if schedule_exists(p, v, trial, m, low, x_s, position):
            seq[v, :m] = trial[:m]
            count[v] = n + 2
            return v
    return -1


@njit(cache=True)
def run(p, current, candidate, best, missing, status, temperatures, rng, average_removed,
        max_string, blink, penalty, stall):
    """Simulated annealing over ruin-and-recreate steps, one per temperature (`core.accept`,
    `core.begin_step`: the status, the choice and the stall limit); the state is
    (seq, count, ear, lat, load, cost).

    The current routes may leave requests out (`missing[:status[4]]`, each at `penalty`),
    the best routes never."""
    requests = p[8].shape[0]
    vehicles = current[1].shape[0]
    width = current[0].shape[1]
    where = np.full(requests, -1, np.int64)
    pos = np.zeros(p[0].shape[0], np.int64)
    gone = np.zeros(requests, np.bool_)
    removed = np.empty(requests, np.int64)
    left = np.empty(requests, np.int64)
    scratch = (np.empty(width), np.empty(width), np.empty(requests, np.int64),
               np.empty(width, np.int64))
    dirty = np.zeros(vehicles, np.bool_)
    candidates = new_candidates(CANDIDATES)
    seq, count, ear, lat, load, cost = candidate
    for temperature in temperatures:
        if not begin_step(status, stall):
            return
        before = count.copy()
        out = remove_strings(p, seq, count, rng, average_removed, max_string, removed, where,
                             pos, gone)
        for v in range(vehicles):
            dirty[v] = count[v] != before[v]
            if dirty[v]:
                bounds(p, seq, count, ear, lat, load, cost, v)
        units = np.concatenate((removed[:out], missing[:int(status[4])]))
        order_for_recreate(p, units, rng)
        n_left = 0
        for r in units:
            v = place(p, r, seq, count, ear, lat, load, rng, blink, scratch, candidates)
            while v == -2:
                candidates = new_candidates(2 * candidates[0].shape[0])
                v = place(p, r, seq, count, ear, lat, load, rng, blink, scratch, candidates)
            if v < 0:
                left[n_left] = r
                n_left += 1
            else:
                bounds(p, seq, count, ear, lat, load, cost, v)
                dirty[v] = True
        rows = np.nonzero(dirty)[0]
        kept = accept(status, cost.sum() + penalty * n_left, temperature, rng, left, n_left,
                      missing, n_left == 0)
        if kept:
            copy_rows(rows, candidate, current)
            if kept == 2:
                best[0][:, :] = seq
                best[1][:] = count
        else:
            copy_rows(rows, current, candidate)


@njit(cache=True)
def new_candidates(size):
    """Buffers for `size` insertion candidates: cost, vehicle, i, j."""
    return (np.empty(size), np.empty(size, np.int64), np.empty(size, np.int64),
            np.empty(size, np.int64))


@njit(cache=True)
def copy_rows(rows, src, dst):
    """Vehicles `rows` of the state src into dst."""
    for v in rows:
        dst[0][v, :] = src[0][v, :]
        dst[1][v] = src[1][v]
        dst[2][v, :] = src[2][v, :]
        dst[3][v, :] = src[3][v, :]
        dst[4][v, :] = src[4][v, :]
        dst[5][v] = src[5][v]
