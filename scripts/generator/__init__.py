"""The code generator: from a prepared spec (scripts/specprep) to modelgates_client/_generated and docs/.

pipeline    one generation, start to end (generate_into)
oac         the openapi-python-client driver: every use of its internals
mg          the `mg` object the templates see, made of the views below
context     what one run knows of the parsed document (the state every view reads)
models      model views, union aliases         endpoints  endpoint views (arguments, responses, streams)
paging      the Paging literal of list calls   errors     error classes by status
views       the view dataclasses               hints      annotations and imports
parsers     parse expressions, union plans     unions     UnionRule: the one union predicate
checks      the check tables (schemas.py)      audit      nothing skipped; values typed Any
docs        the reference pages
"""
