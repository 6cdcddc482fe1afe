"""The built-in steps, one module per step type (or per family sharing most of its code).

Nothing here is imported eagerly: :data:`codedeploy_hooks.steps.catalog.BUILTINS` names each class as
``module:Class`` and the catalog imports a module when a plan first uses its type.
"""
