package io.confext.agent.verify;

import java.util.List;
import java.util.UUID;

/** A parsed, CRC-checked GPT: its sector size and its used entries. */
public record GptTable(int sectorSize, UUID diskGuid, List<GptPartition> partitions) {
    public GptTable {
        partitions = List.copyOf(partitions);
    }

    public List<GptPartition> ofType(UUID type) {
        return partitions.stream().filter(p -> p.type().equals(type)).toList();
    }
}
