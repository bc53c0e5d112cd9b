"""Network file system detection from a mount table."""

from __future__ import annotations

import pytest

from ipdocs.watch.mounts import filesystem_type, is_network

TABLE = """\
22 1 0:21 / / rw,relatime - ext4 /dev/vda rw
30 22 0:30 / /mnt/felles rw,relatime shared:5 - cifs //filserver/felles rw,vers=3.1.1
31 30 0:31 / /mnt/felles/lokal rw - ext4 /dev/vdb rw
32 22 0:32 / /mnt/med\\040mellomrom rw - nfs4 server:/eksport rw
33 22 0:33 / /home/ola/sky rw - fuse.rclone sky: rw
"""


@pytest.mark.parametrize(
    ("path", "fstype", "network"),
    [
        ("/srv/ipdocs/inbox", "ext4", False),
        ("/mnt/felles/inbox", "cifs", True),
        ("/mnt/felles", "cifs", True),
        ("/mnt/felles/lokal/inbox", "ext4", False),  # a local disk mounted inside the share
        ("/mnt/fellesx/inbox", "ext4", False),  # a prefix of the name is not the mount
        ("/mnt/med mellomrom/inbox", "nfs4", True),
        ("/home/ola/sky/inbox", "fuse.rclone", True),
    ],
)
def test_the_longest_mount_point_decides(tmp_path, path, fstype, network):
    table = tmp_path / "mountinfo"
    table.write_text(TABLE)
    found = filesystem_type(path, mountinfo=table)
    assert found == fstype and is_network(found) is network


def test_unknown_without_a_mount_table(tmp_path):
    assert filesystem_type(tmp_path, mountinfo=tmp_path / "finnes-ikke") is None
    assert not is_network(None)
