#!/usr/bin/env python3
"""Authoring tools for proctor's question banks (Python 3.11+, standard library only).

  bank_tools.py stats DIR [--share N]     counts per domain/kind/task tag and the answer-cue
                                          statistics (stored position, length, absolute words);
                                          exits 1 when a cue is beyond its threshold
  bank_tools.py blind DIR --seed S [--ids FILE] > blind.md
                                          a blind-review copy: stems and options in a random
                                          order, no key, no rationale, no explanation
  bank_tools.py compare DIR ANSWERS --seed S
                                          compare a reviewer's answers (lines "id: AC") with the
                                          key, mapping the blind copy's letters back
  bank_tools.py shuffle FILE...           store each question's options in a random order
                                          (seeded by the question id), keeping the text as is

Thresholds (issue 16): over a bank, the correct option is the longest and the shortest each at
most chance + 10 points; the correct options are not always stored first; options with absolute
words ("always", "never", "every", "only", "all") are not mostly distractors.
"""

import hashlib
import random
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ABSOLUTE = re.compile(r"\b(always|never|every|everything|none|guarantees?)\b", re.IGNORECASE)


def load(dir_path):
    root = Path(dir_path)
    blueprint = tomllib.loads((root / "exam.toml").read_text())
    questions = []
    for path in sorted(root.rglob("*.toml")):
        if path.name == "exam.toml":
            continue
        data = tomllib.loads(path.read_text())
        for q in data.get("question", []):
            q["_file"] = str(path)
            questions.append(q)
    return blueprint, questions


def quotas(blueprint, total):
    domains = blueprint["domain"]
    exact = [d["weight"] * total / 100 for d in domains]
    base = [int(x) for x in exact]
    rest = total - sum(base)
    order = sorted(range(len(domains)), key=lambda i: (-(exact[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return {d["id"]: n for d, n in zip(domains, base)}


def stats(dir_path, share):
    blueprint, questions = load(dir_path)
    bad = False
    per_domain = Counter(q["domain"] for q in questions)
    quota = quotas(blueprint, blueprint["exam_questions"])
    print(f"{blueprint['code']}: {len(questions)} questions")
    for d in blueprint["domain"]:
        need = quota[d["id"]] * share
        have = per_domain[d["id"]]
        flag = "" if have >= need else f"   BELOW {share}x share ({need})"
        bad |= have < need
        print(f"  {d['id']:<14} {have:>4}  (one form draws {quota[d['id']]}){flag}")
    kinds = Counter(q["kind"] for q in questions)
    mr = kinds.get("multiple-response", 0)
    print(f"  kinds: {dict(kinds)}; multiple response {100 * mr / max(1, len(questions)):.0f}%")

    tasks = Counter(t for q in questions for t in q.get("tags", []) if t.startswith("task-"))
    thin = sorted(t for t, n in tasks.items() if n < 3)
    print(f"  task tags: {len(tasks)}; under 3 questions: {thin or 'none'}")
    untagged = [q["id"] for q in questions if not any(t.startswith("task-") for t in q.get("tags", []))]
    if untagged:
        print(f"  questions without a task-* tag: {len(untagged)} (first: {untagged[:5]})")

    choice = [q for q in questions if q["kind"] in ("multiple-choice", "multiple-response")]
    first_correct = sum(1 for q in choice if q["option"][0].get("correct"))
    all_first = sum(
        1
        for q in choice
        if all(o.get("correct") for o in q["option"][: sum(1 for o in q["option"] if o.get("correct"))])
    )
    print(
        f"  stored position: first option correct in {first_correct}/{len(choice)}; "
        f"keys stored as the leading options in {all_first}/{len(choice)}"
    )
    if choice and all_first / len(choice) > 0.6:
        print("    CUE: the keys are mostly stored first")
        bad = True

    single = [q for q in choice if q["kind"] == "multiple-choice"]
    longest = shortest = 0
    chance = 0.0
    for q in single:
        lengths = [len(o["text"]) for o in q["option"]]
        key = next(i for i, o in enumerate(q["option"]) if o.get("correct"))
        longest += lengths[key] == max(lengths)
        shortest += lengths[key] == min(lengths)
        chance += 1 / len(lengths)
    if single:
        n = len(single)
        chance_pct = 100 * chance / n
        lp, sp = 100 * longest / n, 100 * shortest / n
        print(
            f"  single answer ({n}): key is the longest {lp:.0f}%, the shortest {sp:.0f}% "
            f"(chance {chance_pct:.0f}%, limit {chance_pct + 10:.0f}%)"
        )
        if lp > chance_pct + 10 or sp > chance_pct + 10:
            print("    CUE: key length")
            bad = True

    abs_correct = abs_wrong = 0
    for q in choice:
        for o in q["option"]:
            if ABSOLUTE.search(o["text"]):
                if o.get("correct"):
                    abs_correct += 1
                else:
                    abs_wrong += 1
    correct_share = sum(sum(1 for o in q["option"] if o.get("correct")) for q in choice) / max(
        1, sum(len(q["option"]) for q in choice)
    )
    total_abs = abs_correct + abs_wrong
    if total_abs:
        pct = 100 * abs_correct / total_abs
        print(
            f"  absolute words: in {total_abs} options, {pct:.0f}% of them correct "
            f"(correct options are {100 * correct_share:.0f}% of all options)"
        )
        if pct < 100 * correct_share - 15:
            print("    CUE: absolute words mostly in distractors")
            bad = True
    return 1 if bad else 0


def shuffled_order(qid, seed, n):
    digest = hashlib.sha256(f"{seed}:{qid}".encode()).digest()
    rng = random.Random(digest)
    order = list(range(n))
    rng.shuffle(order)
    return order


def blind(dir_path, seed, ids):
    _, questions = load(dir_path)
    rng = random.Random(f"order:{seed}")
    if ids:
        wanted = set(ids)
        questions = [q for q in questions if q["id"] in wanted]
    rng.shuffle(questions)
    print(f"# Blind review copy (seed {seed}). Answer each with a line `id: LETTERS`.\n")
    for q in questions:
        if q["kind"] == "ordering":
            order = shuffled_order(q["id"], seed, len(q["step"]))
            need = sum(1 for st in q["step"] if "position" in st)
            print(f"## {q['id']}\n")
            print(q["stem"].strip())
            print(f"\n(Ordering: put {need} of these steps in order; answer with the letters in order, e.g. `C A D B`.)\n")
            for letter, i in zip("ABCDEFGHIJ", order):
                print(f"{letter}. {q['step'][i]['text']}")
            print()
            continue
        if q["kind"] == "matching":
            porder = shuffled_order(q["id"] + "/prompts", seed, len(q["prompt"]))
            rorder = shuffled_order(q["id"] + "/responses", seed, len(q["response"]))
            print(f"## {q['id']}\n")
            print(q["stem"].strip())
            print("\n(Matching: answer with pairs, e.g. `1B 2D 3A`.)\n")
            for n, i in enumerate(porder, 1):
                print(f"{n}. {q['prompt'][i]['text']}")
            print()
            for letter, i in zip("ABCDEFGHIJ", rorder):
                print(f"{letter}. {q['response'][i]['text']}")
            print()
            continue
        n_correct = sum(1 for o in q["option"] if o.get("correct"))
        order = shuffled_order(q["id"], seed, len(q["option"]))
        print(f"## {q['id']}\n")
        print(q["stem"].strip())
        if n_correct > 1:
            print(f"\n(Select {n_correct}.)")
        print()
        for letter, i in zip("ABCDEFGHIJ", order):
            print(f"{letter}. {q['option'][i]['text']}")
        print()


def compare(dir_path, answers_path, seed):
    _, questions = load(dir_path)
    by_id = {q["id"]: q for q in questions}
    agree = 0
    disagreements = []
    seen = 0
    for line in Path(answers_path).read_text().splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*:\s*([A-Ja-j0-9 ,]+)", line)
        if not m or m.group(1) not in by_id:
            continue
        q = by_id[m.group(1)]
        seen += 1
        if q["kind"] == "ordering":
            order = shuffled_order(q["id"], seed, len(q["step"]))
            given = [order["ABCDEFGHIJ".index(c)] for c in m.group(2).upper() if c.isalpha()]
            key = [i for _, i in sorted((st["position"], i) for i, st in enumerate(q["step"]) if "position" in st)]
            if given == key:
                agree += 1
            else:
                print(f"\n## {q['id']} ({q['_file']}): gave {given}, key {key} (bank step indices)")
                for i, st in enumerate(q["step"]):
                    print(f"  [{i}] pos={st.get('position', '-')} {st['text']}\n        -> {st.get('rationale', '')}")
            continue
        if q["kind"] == "matching":
            porder = shuffled_order(q["id"] + "/prompts", seed, len(q["prompt"]))
            rorder = shuffled_order(q["id"] + "/responses", seed, len(q["response"]))
            given = {}
            for token in re.findall(r"(\d+)\s*([A-Ja-j])", m.group(2)):
                given[porder[int(token[0]) - 1]] = q["response"][rorder["ABCDEFGHIJ".index(token[1].upper())]]["id"]
            key = {i: p["match"] for i, p in enumerate(q["prompt"])}
            if given == key:
                agree += 1
            else:
                print(f"\n## {q['id']} ({q['_file']}): gave {given}, key {key} (bank prompt index -> response id)")
                for i, p in enumerate(q["prompt"]):
                    print(f"  [{i}] {p['text']} -> {p['match']}\n        -> {p.get('rationale', '')}")
            continue
        order = shuffled_order(q["id"], seed, len(q["option"]))
        picked = {order["ABCDEFGHIJ".index(c)] for c in m.group(2).upper() if c.isalpha()}
        key = {i for i, o in enumerate(q["option"]) if o.get("correct")}
        if picked == key:
            agree += 1
        else:
            disagreements.append((q, picked, key))
    print(f"{agree}/{seen} agree")
    for q, picked, key in disagreements:
        print(f"\n## {q['id']} ({q['_file']})")
        print(q["stem"].strip())
        for i, o in enumerate(q["option"]):
            mark = ("KEY " if i in key else "    ") + ("PICK" if i in picked else "    ")
            print(f"  [{mark}] {o['text']}\n           -> {o.get('rationale', '')}")
    return 0


def shuffle_file(path):
    text = Path(path).read_text()
    parts = re.split(r"(?m)^(?=\[\[question\]\]\s*$)", text)
    out = [parts[0]]
    for block in parts[1:]:
        pieces = re.split(r"(?m)^(?=\[\[question\.option\]\]\s*$)", block)
        head, options = pieces[0], pieces[1:]
        if len(options) < 2:
            out.append(block)
            continue
        # Anything after the last option (comments that introduce the next question) stays last.
        last = options[-1]
        tail_match = re.search(r"\n(\s*\n)+((#[^\n]*\n?)+\s*)$", last)
        tail = ""
        if tail_match:
            tail = last[tail_match.start(2):]
            options[-1] = last[: tail_match.start(2)]
        qid = re.search(r'(?m)^id\s*=\s*"([^"]+)"', head).group(1)
        # Idempotent: the stored order depends only on the id and the options' texts, not on
        # the order they were in, so running this again changes nothing.
        options.sort(key=lambda block: block.strip())
        order = shuffled_order(qid, "stored", len(options))
        body = "\n".join(options[i].rstrip("\n") + "\n" for i in order)
        out.append(head + body + ("\n" if not body.endswith("\n\n") else "") + tail)
    new = "".join(out)
    tomllib.loads(new)  # never write a file that no longer parses
    Path(path).write_text(new)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]

    def opt(name, default=None):
        if name in args:
            i = args.index(name)
            value = args[i + 1]
            del args[i : i + 2]
            return value
        return default

    if cmd == "stats":
        share = int(opt("--share", "3"))
        return max(stats(a, share) for a in args)
    if cmd == "blind":
        seed = opt("--seed", "1")
        ids_file = opt("--ids")
        ids = Path(ids_file).read_text().split() if ids_file else None
        blind(args[0], seed, ids)
        return 0
    if cmd == "compare":
        seed = opt("--seed", "1")
        return compare(args[0], args[1], seed)
    if cmd == "shuffle":
        for path in args:
            shuffle_file(path)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
