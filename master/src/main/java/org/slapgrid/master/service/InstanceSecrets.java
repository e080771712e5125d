package org.slapgrid.master.service;

import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.store.Database;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceSecret;

/** Instance secrets: each instance's own credential, issued to the node of its partition. */
record InstanceSecrets(Database db) {

    /** Issues a fresh secret for the partition's instance to its node; the previous one stops working. */
    InstanceSecret issue(Principal caller, String nodeId, String partition) {
        String secret = Secrets.newToken("sgi_");
        String id = db.transaction(c -> {
            Instance i = InstanceLookup.inPartition(c, caller, nodeId, partition);
            CredentialStore.revoke(c, Principal.Kind.INSTANCE, i.id());
            CredentialStore.insert(c, secret, Principal.instance(i.id()));
            AuditLog.record(c, caller, "instance.secret", "instance:" + i.id(), null);
            return i.id();
        });
        return new InstanceSecret(id, secret);
    }
}
