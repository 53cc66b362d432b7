"""The operator shell: the ``rpa`` command, its sub-commands, the scheduler and the run viewer.

The top layer: it composes the flows (``flows/``) with the runtime (``rpa/``) and, when asked
for, the embedded sandbox. Nothing below imports it.
"""
