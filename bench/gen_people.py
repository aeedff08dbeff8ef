#!/usr/bin/python3
"""Writes a deterministic organisation of N people as a people CSV (the import format):
8 departments, a tree about six levels deep with spans of 5-10, unique emails, some Unicode."""
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

out = sys.stdout
out.write("employee_id,name,email,title,department,manager_id,level,hire_date,status\n")
# breadth-first tree: person i's manager is drawn from the previous level, spans 5-10
managers = [1]
next_level = []
dept_of = {1: "Executive"}
i = 1
out.write("E1,Chief Executive,ceo@bench.example,CEO,Executive,,E9,2010-01-01,active\n")
level = 1
while i < n:
    for m in managers:
        for _ in range(rnd.randint(5, 10)):
            i += 1
            if i > n:
                break
            d = depts[(i - 2) % 8] if m == 1 else dept_of[m]
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
