"""The project's single error tree.

HookServiceError                      root: catch this to catch anything the service raises on purpose
├── ConfigurationError                a setting or the environment is wrong (common)
├── MirrorError                       the live label's SSM mirror could not be written (common.mirror)
├── PlanError                         a plan is invalid (registry)
│   └── PlanSyntaxError               the file cannot even be parsed
├── RegistryError                     reading or writing the registry failed (registry)
│   ├── ServiceNotFoundError
│   ├── PlanVersionNotFoundError
│   ├── ServiceExistsError
│   ├── ConcurrentUpdateError
│   └── LockHeldError
├── StepError                         a step could not do its job (steps)
│   └── StepDefinitionError           a step class breaks the contract
└── HookError                         the hook runtime itself (hooks)
    ├── DeploymentLookupError
    └── ReportError
"""

from __future__ import annotations


class HookServiceError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigurationError(HookServiceError):
    """A setting, environment variable or argument is missing or invalid."""
