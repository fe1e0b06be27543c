"""Starts the MiniStack emulator (pinned 1.5.33) with one fix.

MiniStack 1.5.33 bug: when a nested stack is updated, unchanged resources reach
provisioners._update_resource without old_attrs, so a Fn::GetAtt on them (an AppSync
ApiId, a DynamoDB Arn) fails and the update ends UPDATE_ROLLBACK_FAILED. The
top-level update path passes the attributes; this fills them in the same way for the
nested path. Remove it once MiniStack fixes the bug.

Usage: GATEWAY_PORT=4599 BIND_HOST=127.0.0.1 python ministack_launcher.py
"""

import sys

import ministack.services.cloudformation as cloudformation
from ministack.services.cloudformation import provisioners

_update_resource = provisioners._update_resource


def _update_resource_with_attrs(resource_type, physical_id, old_props, new_props, stack_name,
                                logical_id=None, old_attrs=None):
    if old_attrs is None and logical_id is not None:
        try:
            old_attrs = cloudformation._stacks[stack_name]["_resources"][logical_id]["Attributes"]
        except (KeyError, TypeError):
            pass
    return _update_resource(resource_type, physical_id, old_props, new_props, stack_name,
                            logical_id=logical_id, old_attrs=old_attrs)


provisioners._update_resource = _update_resource_with_attrs

from ministack.app import main  # noqa: E402  (after the patch, on purpose)

sys.argv = ["ministack"]
main()
