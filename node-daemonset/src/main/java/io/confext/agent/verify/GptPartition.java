package io.confext.agent.verify;

import java.util.UUID;

/** One used GPT entry; {@code offset}/{@code size} are in bytes (LBA x sector size, last LBA inclusive). */
public record GptPartition(int index, UUID type, UUID uuid, long offset, long size, long attributes, String name) {}
