"""Blue/green at the edge: the Lambda@Edge release router (``edge.router``) and its build (``edge/build.py``).

Deployed on its own (``edge/template.yaml``); it shares no code with the CodeDeploy hooks, so the edge
package stays small and imports nothing but the standard library and, lazily, boto3.
"""
