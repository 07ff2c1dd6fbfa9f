package io.confext.operator.revision;

import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.ResolvedSecretFile;
import io.confext.api.v1alpha1.SecretItem;
import io.confext.api.v1alpha1.SecretSource;
import java.util.List;
import java.util.Objects;

/** Whether a frozen Secret source is the one a spec names now: same Secret, same items (key, path, mode). Pure. */
final class SecretPins {
    private SecretPins() {}

    static boolean sameSource(ResolvedSecret frozen, SecretSource spec) {
        if (!frozen.namespace().equals(spec.getNamespace()) || !frozen.name().equals(spec.getName())) {
            return false;
        }
        List<SecretItem> items = spec.getItems() == null ? List.of() : spec.getItems();
        if (frozen.items() != !items.isEmpty()) {
            return false;
        }
        if (!frozen.items()) {
            return true; // every key: the version pins the key set it was frozen with
        }
        if (items.size() != frozen.files().size()) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            SecretItem item = items.get(i);
            ResolvedSecretFile f = frozen.files().get(i);
            String mode = item.getMode() == null ? ResolvedSecretFile.DEFAULT_MODE : item.getMode();
            if (!f.key().equals(item.getKey()) || !f.path().equals(item.getPath()) || !Objects.equals(f.mode(), mode)) {
                return false;
            }
        }
        return true;
    }
}
