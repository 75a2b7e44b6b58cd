"""Ballistic flight and interceptor kinematics, vectorized; reads no files.

``ballistic`` (Keplerian flight over a rotating sphere), ``loft`` (range from lofted tests),
``earth`` (constants). Filled by the geography issue; the import contracts already hold
it to its room.
"""
