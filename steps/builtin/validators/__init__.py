"""The built-in steps' params checks as Python source, one module per step type, written by
``hookctl schema --write`` from each step's ``params_schema`` (``tests/unit/test_catalog.py`` fails when one is stale).

A hook validates every step of its plan on each cold start; fastjsonschema generating and compiling these at run
time cost up to 47 ms per type (replay-validate's). The catalog uses a module only when its ``SCHEMA_DIGEST`` matches
the step's schema, and compiles the schema otherwise.
"""
