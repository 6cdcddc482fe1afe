"""Shared blue/green deployment hooks for AWS: one import root.

Its sub-packages are the repository's top-level folders (symbolic links here), layered so that each
imports only the ones below it:

    cli        hookctl (scripts/)
    hooks      drivers and the runner (hooks/)
    plans      plan files, schema and validation (plans/)
    registry   storage: DynamoDB models, services, locks, run ledger (registry/)
    steps      the step contract, guard and built-in steps (steps/)
    common     errors, clock, AWS clients, value types (common/)
"""
