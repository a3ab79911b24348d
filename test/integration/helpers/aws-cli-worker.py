"""Runs AWS CLI commands for the integration tests in one long-lived Python process.

Each command goes through the very code `/usr/bin/aws` runs (Debian's AWS CLI v2:
`awscli.clidriver.create_clidriver().main(args)`: argument parsing, the profile and config files,
signing, the request, the output formatting); only the interpreter start and the CLI's imports
(~0.85 s of CPU per call on these machines) are paid once instead of once per command.

Protocol: one JSON object per line on stdin, {"args": [...], "env": {...}, "sleepScale": N};
one JSON object per line on stdout, {"code": N, "stdout": "...", "stderr": "..."}.
The environment of each command is exactly `env` (as for a new process). `sleepScale` divides the
waiters' sleeps (`aws ecs wait` polls every 15 s) by the sandbox's time scale, so a waiter polls as
often per simulated second as it would against AWS.
"""
import io
import json
import os
import sys
import time

os.environ.setdefault('LC_CTYPE', 'C.UTF-8')
import awscli.clidriver  # noqa: E402

# What importing awscli put in the environment (AWS_DATA_PATH: where the CLI's own data is), as the
# `aws` executable has it in every command's process.
_from_import = {k: os.environ[k] for k in ('AWS_DATA_PATH', 'AWS_EXECUTION_ENV') if k in os.environ}

_real_sleep = time.sleep
_scale = [1.0]


class _ScaledTime:
    """`time` as the waiters see it: sleeps shortened by the sandbox's time scale."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def sleep(seconds):
        _real_sleep(seconds / _scale[0])


for name in ('awscli.botocore.waiter', 'botocore.waiter'):
    try:
        module = __import__(name, fromlist=['time'])
        module.time = _ScaledTime()
    except ImportError:
        pass

out = sys.stdout
for line in sys.stdin:
    if not line.strip():
        continue
    request = json.loads(line)
    os.environ.clear()
    os.environ.update(request['env'])
    for k, v in _from_import.items():
        os.environ[k] = (os.environ[k] + os.pathsep + v) if k == 'AWS_DATA_PATH' and k in os.environ else v
    _scale[0] = max(1.0, float(request.get('sleepScale') or 1))
    captured_out, captured_err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = captured_out, captured_err
    try:
        code = awscli.clidriver.create_clidriver().main(request['args'])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 255
    except BaseException as e:  # a crash of the CLI itself is the command's failure, not the worker's
        captured_err.write('%s: %s\n' % (type(e).__name__, e))
        code = 255
    finally:
        sys.stdout, sys.stderr = out, sys.__stderr__
    out.write(json.dumps({'code': code, 'stdout': captured_out.getvalue(), 'stderr': captured_err.getvalue()}) + '\n')
    out.flush()
