from demo_world import built, demo

__all__ = ["built", "demo"]  # the e2e tests' fixtures
