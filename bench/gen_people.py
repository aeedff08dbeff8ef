#!/usr/bin/python3
"""Writes a deterministic organisation of N people as a people CSV (the import format), shaped
like a real company rather than a regular tree:
- 8 departments under the chief executive; spans are skewed (a quarter of managers have 1-4
  reports, most 5-10, some 11-60) and a few managers below the top levels run teams of 250
  (support or operations floors);
- 15% of people sit in another department than their manager (matrix and cross-functional
  reporting), so department membership is not aligned with the manager tree;
- unique emails p<i>@bench.example and employee ids E<i>, some Unicode names."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rnd = random.Random(20261124)
first = ["Amara", "Ben", "Chiara", "Dmitri", "Elif", "Farah", "Gabriel", "Hana", "Inès", "Jonas",
         "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Rosa", "Sven", "Tariq", "Zoë"]
last = ["Okafor", "Schneider", "Rossi", "Ivanova", "Yılmaz", "Haddad", "Sato", "García", "Berg",
        "Mensah", "Novak", "Ōtsuka", "Sharma", "Dubois", "Chen", "Müller", "O'Brien", "Nguyen"]
depts = ["Engineering", "Product", "Design", "Sales", "Marketing", "Customer Success", "People",
         "Finance"]
titles = ["Engineer", "Senior Engineer", "Analyst", "Specialist", "Manager", "Director"]


def span(level):
    if level == 1:
        return 8  # one leader per department
    if level >= 3 and rnd.random() < 0.0015:
        return 250
    r = rnd.random()
    if r < 0.25:
        return rnd.randint(1, 4)
    if r < 0.80:
        return rnd.randint(5, 10)
    if r < 0.97:
        return rnd.randint(11, 30)
    return rnd.randint(31, 60)


out = sys.stdout
out.write("employee_id,name,email,title,department,manager_id,level,hire_date,status\n")
out.write("E1,Chief Executive,ceo@bench.example,CEO,Executive,,E9,2010-01-01,active\n")
# breadth-first: everyone on a level manages some of the next one until N people exist, so the
# last levels are individual contributors
managers = [1]
next_level = []
dept_of = {1: "Executive"}
i = 1
level = 1
while i < n:
    for m in managers:
        for _ in range(span(level)):
            i += 1
            if i > n:
                break
            if m == 1:
                d = depts[(i - 2) % 8]
            elif rnd.random() < 0.17:  # 15% after the draws of their own department
                d = rnd.choice(depts)
            else:
                d = dept_of[m]
            dept_of[i] = d
            name = f"{rnd.choice(first)} {rnd.choice(last)} {i}"
            title = rnd.choice(titles)
            hire = f"{rnd.randint(2010, 2026)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            q = '"' if "," in name or '"' in name else ""
            out.write(f"E{i},{q}{name}{q},p{i}@bench.example,{title},{d},E{m},P{min(level, 6)},"
                      f"{hire},active\n")
            next_level.append(i)
        if i > n:
            break
    managers, next_level = next_level, []
    level += 1
