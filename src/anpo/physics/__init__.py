"""Ballistic flight and interceptor kinematics, vectorized; reads no files.

Filled by the geography issue; the import contracts already hold it to its room.
"""
