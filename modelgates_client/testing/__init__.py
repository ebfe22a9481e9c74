"""A local ModelGates API for tests, examples and demos (standard library only).

    from modelgates_client.testing import ModelGatesServer

    with ModelGatesServer() as server, server.client() as mg:
        res = mg.chat.send(messages=[{"role": "user", "content": "Hello"}])
        print(res.choices[0].message.content)  # "You said: Hello"

`python -m modelgates_client.testing [--port N]` runs it standalone. With pytest, the plugin
`modelgates_client.testing.pytest_plugin` provides the fixtures `modelgates_server` and `modelgates_client`.
"""

from ._answers import DEFAULT_MODEL, sample_json
from ._server import (
    INJECT_HEADER,
    PROCESSING_COMMENT,
    GenerationRecord,
    Injection,
    ModelGatesServer,
    RecordedRequest,
    error_body,
    validate_chat_request,
)

__all__ = [
    "DEFAULT_MODEL",
    "INJECT_HEADER",
    "PROCESSING_COMMENT",
    "GenerationRecord",
    "Injection",
    "ModelGatesServer",
    "RecordedRequest",
    "error_body",
    "sample_json",
    "validate_chat_request",
]
