#!/usr/bin/env python3
"""Every vpdnd series the shipped Prometheus rules read exists.

Usage: rules_metrics.py RULES.yml EXPOSITION [EXPOSITION...]

promtool checks that the rules parse; it cannot know whether a rule's
selector matches anything vpdnd exports, and a renamed metric or label
silently turns an alert into one that never fires.  This reads every
expression of RULES.yml, takes each selector of a vpdn_* metric with its
equality matchers (other than job, which the scrape configuration adds), and
checks that one of the given scrapes of vpdnd's /metrics has a sample of
that metric carrying those labels with those values.  Prints one line per
selector, "ok" or "missing", and exits 1 if any is missing or if the rules
read no vpdn_* series at all.
"""
import re
import sys

import yaml

SELECTOR = re.compile(r'(?<![:\w])(vpdn_[a-zA-Z0-9_]+)\s*(\{([^}]*)\})?')
MATCHER = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"([^"]*)"')
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+\S+')


def rule_selectors(path):
    """(metric, {label: value}) for every vpdn_* selector in RULES (not the
    recorded series, named level:metric:operations, that other rules read)."""
    with open(path, encoding='utf-8') as f:
        doc = yaml.safe_load(f)
    found = []
    for group in doc.get('groups', []):
        for rule in group.get('rules', []):
            for m in SELECTOR.finditer(str(rule.get('expr', ''))):
                labels = {}
                for lm in MATCHER.finditer(m.group(3) or ''):
                    name, op, value = lm.groups()
                    if op == '=' and name != 'job':
                        labels[name] = value
                found.append((m.group(1), labels))
    return found


def exposition_samples(paths):
    """metric name -> list of label dicts, over every scrape given."""
    samples = {}
    for path in paths:
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.startswith('#'):
                    continue
                m = SAMPLE.match(line)
                if m is None:
                    continue
                labels = dict((k, v) for k, _, v in
                              MATCHER.findall(m.group(3) or ''))
                samples.setdefault(m.group(1), []).append(labels)
    return samples


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    selectors = rule_selectors(argv[1])
    samples = exposition_samples(argv[2:])
    missing = 0
    seen = set()
    for metric, labels in selectors:
        key = (metric, tuple(sorted(labels.items())))
        if key in seen:
            continue
        seen.add(key)
        want = ', '.join('%s="%s"' % kv for kv in sorted(labels.items()))
        have = samples.get(metric, [])
        if any(all(s.get(k) == v for k, v in labels.items()) for s in have):
            print('ok      %s{%s}' % (metric, want))
        else:
            print('missing %s{%s}' % (metric, want))
            missing += 1
    if not seen:
        print('no vpdn_* series in %s' % argv[1])
        return 1
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
